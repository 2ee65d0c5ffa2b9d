import fc from 'fast-check';
import { LETTER_CODES, LETTER_STATES } from './letter-catalogue';
import { DRAFTABLE_OUTCOMES, type OutcomeDetails } from './outcomes';
import { ROLES } from './roles';
import { CORRECTABLE_REPLY_FIELDS, decideSupersede, noticeReplaced, type NoticeRecords, type SupersedeRequest } from './supersede';

const partialDetails: OutcomeDetails = { withheldParts: ['涉及个人隐私的部分'], grounds: ['withheld.third_party'], reasons: '经审查，部分涉及第三方合法权益。' };

const base = (over: Partial<SupersedeRequest> = {}): SupersedeRequest => ({
  role: 'supervisor',
  letter: { code: 'reply', state: 'issued', rendered: true, outcome: 'partial' },
  details: partialDetails,
  confidentialityReviewed: true,
  ...over,
});

describe('decideSupersede', () => {
  it('lets only a supervisor supersede, whatever the letter', () => {
    for (const role of ROLES) {
      for (const state of LETTER_STATES) {
        const d = decideSupersede(base({ role, letter: { code: 'reply', state, rendered: true, outcome: 'partial' } }));
        if (role !== 'supervisor') expect(d).toMatchObject({ ok: false, problem: { code: 'FORBIDDEN' } });
      }
    }
  });

  it('answers each letter state with its code: only an issued or delivered letter that has its PDF is superseded', () => {
    const expected: Record<(typeof LETTER_STATES)[number], string> = {
      draft: 'LETTER_NOT_ISSUED',
      approved: 'LETTER_NOT_ISSUED',
      cancelled: 'LETTER_NOT_ISSUED',
      superseded: 'LETTER_ALREADY_SUPERSEDED',
      issued: 'ok',
      delivered: 'ok',
    };
    for (const code of LETTER_CODES) {
      for (const state of LETTER_STATES) {
        for (const rendered of [true, false]) {
          const outcome = code === 'reply' ? 'granted' : null;
          const d = decideSupersede(base({ letter: { code, state, rendered, outcome }, details: code === 'reply' ? {} : null }));
          const want = expected[state] === 'ok' && !rendered ? 'LETTER_NOT_RENDERED' : expected[state];
          expect(d.ok ? 'ok' : d.problem.code).toBe(want);
        }
      }
    }
  });

  it('takes a corrected text for a reply only, and needs the 保密审查 of a corrected reply', () => {
    const notice = decideSupersede(base({ letter: { code: 'correction_notice', state: 'issued', rendered: true, outcome: null }, details: null, reply: { reasons: 'x' } }));
    expect(notice).toMatchObject({ ok: false, problem: { code: 'VALIDATION_FAILED', field: 'reply' } });
    expect(decideSupersede(base({ letter: { code: 'correction_notice', state: 'delivered', rendered: true, outcome: null }, details: null, confidentialityReviewed: false }))).toEqual({ ok: true, details: null });
    expect(decideSupersede(base({ confidentialityReviewed: false }))).toMatchObject({ ok: false, problem: { code: 'VALIDATION_FAILED', field: 'confidentialityReviewed' } });
  });

  it('checks the corrected reply like a draft: fields the outcome does not use, blanks', () => {
    expect(decideSupersede(base({ reply: { competentAgency: { name: '盘锦市财政局' } } }))).toMatchObject({ ok: false, problem: { field: 'reply.competentAgency' } });
    expect(decideSupersede(base({ reply: { withheldParts: [] } }))).toMatchObject({ ok: false, problem: { field: 'reply.withheldParts' } });
    expect(decideSupersede(base({ reply: { reasons: '   ' } }))).toMatchObject({ ok: false, problem: { code: 'VALIDATION_FAILED', field: 'reply.reasons' } });
    const notHeld = decideSupersede(base({ letter: { code: 'reply', state: 'issued', rendered: true, outcome: 'unavailable.not_held' }, details: { competentAgency: { name: '盘锦市交通局' } }, reply: { competentAgency: { name: '盘锦市交通运输局', contact: '0427-1234567' } } }));
    expect(notHeld).toEqual({ ok: true, details: { competentAgency: { name: '盘锦市交通运输局', contact: '0427-1234567' } } });
  });

  it('never changes the decision: the grounds and earlier reply stay, only the fields given change (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...DRAFTABLE_OUTCOMES),
        fc.record({ reasons: text, withheldParts: fc.array(text, { minLength: 1, maxLength: 3 }), competentAgency: fc.record({ name: text }) }, { requiredKeys: [] }),
        (outcome, reply) => {
          const details: OutcomeDetails = { grounds: ['withheld.state_secret'], earlierReply: { documentNumber: '盘依复〔2024〕1号', date: '2024-03-01' }, reasons: '原理由' };
          const d = decideSupersede(base({ letter: { code: 'reply', state: 'issued', rendered: true, outcome }, details, reply }));
          if (!d.ok) {
            expect(d.problem.code).toBe('VALIDATION_FAILED');
            return;
          }
          expect(d.details!.grounds).toEqual(details.grounds);
          expect(d.details!.earlierReply).toEqual(details.earlierReply);
          for (const f of CORRECTABLE_REPLY_FIELDS) {
            expect(d.details![f]).toEqual(reply[f] !== undefined ? reply[f] : details[f]);
          }
        },
      ),
      { seed: 20261204, numRuns: 300 },
    );
  });
});

describe('noticeReplaced', () => {
  const records: NoticeRecords = {
    correction: { requestedOn: '2024-09-03', items: ['a'], periodDays: 15, receivedOn: null, content: null },
    fee: { tariff: 'per_item', pages: null, nth: 11, amount: 100, notifiedOn: '2024-09-04', paidOn: null, receiptNumber: null },
    reasonsRequest: { requestedOn: '2024-09-05', items: ['说明理由'], periodDays: 15, answeredOn: null, content: null, reasonable: null },
    consultations: [
      { id: 'k1', party: 'third_party', name: '甲', jointMaker: false, openedOn: '2024-09-06', closedOn: null, opinion: null, note: null },
      { id: 'k2', party: 'other_agency', name: '乙', jointMaker: false, openedOn: '2024-09-06', closedOn: null, opinion: null, note: null },
    ],
  };

  it('dates anew the notice in force of the record whose period runs from its receipt; the record’s own day stays', () => {
    expect(noticeReplaced(records, { code: 'correction_notice', consultationId: null }, '2024-09-09')).toEqual({ correction: { ...records.correction, noticeOn: '2024-09-09' } });
    expect(noticeReplaced(records, { code: 'fee_notice', consultationId: null }, '2024-09-09')).toEqual({ fee: { ...records.fee, noticeOn: '2024-09-09' } });
    expect(noticeReplaced(records, { code: 'reasons_request', consultationId: null }, '2024-09-09')).toEqual({ reasonsRequest: { ...records.reasonsRequest, noticeOn: '2024-09-09' } });
    expect(noticeReplaced(records, { code: 'agency_consultation', consultationId: 'k2' }, '2024-09-09')).toEqual({ consultations: [records.consultations[0], { ...records.consultations[1], noticeOn: '2024-09-09' }] });
  });

  it('changes nothing for a letter that starts no period, or whose record is gone', () => {
    for (const code of LETTER_CODES.filter((x) => !['correction_notice', 'fee_notice', 'reasons_request', 'third_party_consultation', 'agency_consultation'].includes(x))) {
      expect(noticeReplaced(records, { code, consultationId: null }, '2024-09-09')).toBeNull();
    }
    const none: NoticeRecords = { correction: null, fee: null, reasonsRequest: null, consultations: [] };
    for (const code of LETTER_CODES) expect(noticeReplaced(none, { code, consultationId: 'k1' }, '2024-09-09')).toBeNull();
    expect(noticeReplaced(records, { code: 'third_party_consultation', consultationId: 'k9' }, '2024-09-09')).toBeNull();
  });
});
