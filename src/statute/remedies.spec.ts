import fc from 'fast-check';
import { OUTCOME_CODES, RECONSIDERATION_FIRST_FROM, type OutcomeCode } from './outcomes';
import { REMEDIES_MARKERS, remediesSentence, remediesVariant, type RemediesSubject, type RemediesVariant } from './remedies';

const body = '盘锦市人民政府';
const court = '盘锦市兴隆台区人民法院';
const say = (subject: RemediesSubject, letterDate: string) => remediesSentence({ subject, letterDate, reconsiderationBody: body, court });

/** Written out by hand from statute.md §6. */
function expectedVariant(o: OutcomeCode, date: string): RemediesVariant {
  if (date < '2024-01-01') return 'choice';
  if (o === 'partial') return 'partial_split';
  if (o.startsWith('withheld.') && o !== 'withheld.administrative_query') return 'reconsideration_first';
  return 'choice';
}

describe('remedies sentence (statute.md §6)', () => {
  const dates = ['2019-05-15', '2023-12-31', RECONSIDERATION_FIRST_FROM, '2024-01-02', '2026-12-04'];

  it('picks the variant by outcome and date, for every outcome', () => {
    for (const o of OUTCOME_CODES) for (const d of dates) expect([o, d, remediesVariant(o, d)]).toEqual([o, d, expectedVariant(o, d)]);
    for (const d of dates) expect(remediesVariant('termination_notice', d)).toBe('choice');
  });

  it('says so in words, naming the reconsideration body and the court', () => {
    for (const o of [...OUTCOME_CODES, 'termination_notice' as const]) {
      for (const d of dates) {
        const s = say(o, d);
        const v = remediesVariant(o, d);
        expect(s).toContain(body);
        expect(s).toContain(court);
        expect(s).toContain(REMEDIES_MARKERS[v]);
        expect(s).toContain('60日');
        expect(s.endsWith('。')).toBe(true);
        if (v === 'choice') expect(s).not.toContain('应当先');
        if (v === 'reconsideration_first') expect(s).not.toContain('6个月');
        if (v === 'partial_split') expect(s).toContain('其他内容');
        expect(s).toContain(o === 'termination_notice' ? '本告知' : '本答复');
      }
    }
  });

  it('holds for every date: reconsideration first exactly for a withholding dated 2024-01-01 or later', () => {
    const day = fc.date({ min: new Date('2019-05-15T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...OUTCOME_CODES), day, (o, d) => {
        expect(remediesVariant(o, d)).toBe(expectedVariant(o, d));
        expect(say(o, d).includes('应当先依法')).toBe(expectedVariant(o, d) !== 'choice');
      }),
    );
  });

  it('refuses a bad date, an unknown outcome, or a blank body or court', () => {
    expect(() => say('granted', '2024-02-30')).toThrow(RangeError);
    expect(() => say('termination_notice', '2024/01/01')).toThrow(RangeError);
    expect(() => say('nonsense' as OutcomeCode, '2024-01-01')).toThrow(RangeError);
    expect(() => remediesSentence({ subject: 'granted', letterDate: '2025-01-01', reconsiderationBody: ' ', court })).toThrow(RangeError);
    expect(() => remediesSentence({ subject: 'granted', letterDate: '2025-01-01', reconsiderationBody: body, court: '' })).toThrow(RangeError);
  });
});
