import fc from 'fast-check';
import { consultationDeliveries } from './case-clock';
import type { Consultation, Delivery } from './case.entity';

const consultation = (id: string, party: Consultation['party'], openedOn: string): Consultation => ({
  id,
  party,
  name: id,
  jointMaker: false,
  openedOn,
  closedOn: null,
  opinion: null,
  note: null,
});
const delivery = (of: string, on: string): Delivery => ({ of, on, method: 'post', waybillNumber: null, recordedAt: '2024-10-20T00:00:00.000Z' });

describe('consultationDeliveries', () => {
  const a = consultation('a', 'third_party', '2024-10-01');
  const b = consultation('b', 'third_party', '2024-10-10');
  const g = consultation('g', 'other_agency', '2024-10-02');

  it('gives each delivery to its own consultation: a later letter’s delivery does not move an earlier one’s period', () => {
    const got = consultationDeliveries({ consultations: [a, b], deliveries: [delivery('third_party_consultation', '2024-10-03'), delivery('third_party_consultation', '2024-10-12')] });
    expect(Object.fromEntries(got)).toEqual({ a: '2024-10-03', b: '2024-10-12' });
  });

  it('in whatever order they were recorded', () => {
    const got = consultationDeliveries({ consultations: [a, b], deliveries: [delivery('third_party_consultation', '2024-10-12'), delivery('third_party_consultation', '2024-10-03')] });
    expect(Object.fromEntries(got)).toEqual({ a: '2024-10-03', b: '2024-10-12' });
  });

  it('keeps kinds apart, ignores a delivery before any letter, and lets a second record replace the latest day', () => {
    const got = consultationDeliveries({
      consultations: [a, g, b],
      deliveries: [
        delivery('agency_consultation', '2024-10-04'),
        delivery('third_party_consultation', '2024-09-30'),
        delivery('third_party_consultation', '2024-10-05'),
        delivery('third_party_consultation', '2024-10-11'),
        delivery('third_party_consultation', '2024-10-15'),
        delivery('correction_notice', '2024-10-16'),
      ],
    });
    expect(Object.fromEntries(got)).toEqual({ g: '2024-10-04', a: '2024-10-05', b: '2024-10-15' });
  });

  it('gives a delivery recorded with its letter to that letter’s consultation, whatever the other letters', () => {
    const exact = (on: string, consultationId: string): Delivery => ({ ...delivery('third_party_consultation', on), letterId: `l-${consultationId}`, consultationId });
    // the first party's letter received after the second was sent: by kind alone it would go to the second
    expect(Object.fromEntries(consultationDeliveries({ consultations: [a, b], deliveries: [exact('2024-10-14', 'a')] }))).toEqual({ a: '2024-10-14' });
    // a delivery by kind then goes to a consultation not named exactly; an exact one names another case's consultation: ignored
    const got = consultationDeliveries({ consultations: [a, b], deliveries: [exact('2024-10-14', 'a'), delivery('third_party_consultation', '2024-10-15'), exact('2024-10-16', 'zz')] });
    expect(Object.fromEntries(got)).toEqual({ a: '2024-10-14', b: '2024-10-15' });
  });

  it('never dates a receipt before its letter, and gives each delivery to a letter of its kind sent by then', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((n) => `2024-10-${String(n).padStart(2, '0')}`);
    const party = fc.constantFrom<Consultation['party']>('third_party', 'other_agency');
    fc.assert(
      fc.property(fc.array(fc.tuple(party, day), { maxLength: 5 }), fc.array(fc.tuple(party, day), { maxLength: 6 }), (ks, ds) => {
        const consultations = ks.map(([p, on], i) => consultation(`k${i}`, p, on));
        const deliveries = ds.map(([p, on]) => delivery(p === 'third_party' ? 'third_party_consultation' : 'agency_consultation', on));
        const got = consultationDeliveries({ consultations, deliveries });
        for (const [id, on] of got) {
          const k = consultations.find((x) => x.id === id)!;
          expect(on >= k.openedOn).toBe(true);
          expect(ds.some(([p, d]) => p === k.party && d === on)).toBe(true);
        }
        // every delivery that has a letter of its kind sent by then lands on one
        const kinds = new Set(ds.filter(([p, d]) => consultations.some((k) => k.party === p && k.openedOn <= d)).map(([p]) => p));
        for (const p of kinds) expect(consultations.some((k) => k.party === p && got.has(k.id))).toBe(true);
      }),
    );
  });
});
