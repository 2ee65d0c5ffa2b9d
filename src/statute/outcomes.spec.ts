import {
  DRAFTABLE_OUTCOMES,
  OUTCOMES,
  OUTCOME_CODES,
  OutcomeCode,
  WITHHELD_CODES,
  articlesFor,
  isOutcomeCode,
  isWithheldCode,
  reconsiderationFirst,
  validateOutcomeDetails,
} from './outcomes';

/** statute.md §5, written out again: code → [articles, annual-report row]. */
const STATUTE: Record<OutcomeCode, [string[], string]> = {
  'granted.proactive': [['36(一)'], 'granted'],
  granted: [['36(二)', '40'], 'granted'],
  partial: [['37'], 'partial'],
  'withheld.state_secret': [['36(三)', '14'], 'withheld.state_secret'],
  'withheld.law_prohibited': [['36(三)', '14'], 'withheld.law_prohibited'],
  'withheld.security_stability': [['36(三)', '14'], 'withheld.security_stability'],
  'withheld.third_party': [['36(三)', '15', '32'], 'withheld.third_party'],
  'withheld.internal_affairs': [['36(三)', '16 ¶1'], 'withheld.internal_affairs'],
  'withheld.process_info': [['36(三)', '16 ¶2'], 'withheld.process_info'],
  'withheld.enforcement_file': [['36(三)', '16 ¶2'], 'withheld.enforcement_file'],
  'withheld.administrative_query': [['36(七)'], 'withheld.administrative_query'],
  'unavailable.not_held': [['36(四)', '36(五)'], 'unavailable.not_held'],
  'unavailable.needs_creation': [['38'], 'unavailable.needs_creation'],
  'unavailable.still_unclear': [['30'], 'unavailable.still_unclear'],
  'rejected.petition': [['39 ¶1'], 'rejected.petition'],
  'rejected.duplicate': [['36(六)'], 'rejected.duplicate'],
  'rejected.publication': [['39 ¶2'], 'rejected.publication'],
  'rejected.vexatious': [['35'], 'rejected.vexatious'],
  'rejected.confirmation': [[], 'rejected.confirmation'],
  'other.correction_lapsed': [['30'], 'other.correction_lapsed'],
  'other.fee_unpaid': [['42', '办法'], 'other.fee_unpaid'],
  'other.other': [[], 'other.other'],
};

/** annual-report.md table 三: the 21 result rows, in order. */
const RESULT_ROWS = [
  'granted',
  'partial',
  'withheld.state_secret',
  'withheld.law_prohibited',
  'withheld.security_stability',
  'withheld.third_party',
  'withheld.internal_affairs',
  'withheld.process_info',
  'withheld.enforcement_file',
  'withheld.administrative_query',
  'unavailable.not_held',
  'unavailable.needs_creation',
  'unavailable.still_unclear',
  'rejected.petition',
  'rejected.duplicate',
  'rejected.publication',
  'rejected.vexatious',
  'rejected.confirmation',
  'other.correction_lapsed',
  'other.fee_unpaid',
  'other.other',
];

const WITHHELD = { withheldParts: ['第三页涉及个人信息的内容'], reasons: '涉及个人隐私' };

describe('outcome catalogue', () => {
  it('holds the 22 codes of statute §5 with their articles and report rows', () => {
    expect([...OUTCOME_CODES].sort()).toEqual(Object.keys(STATUTE).sort());
    for (const code of OUTCOME_CODES) {
      expect(OUTCOMES[code].code).toBe(code);
      expect([code, OUTCOMES[code].articles]).toEqual([code, STATUTE[code][0]]);
      expect([code, OUTCOMES[code].reportRow]).toEqual([code, STATUTE[code][1]]);
      expect(OUTCOMES[code].label).toMatch(/[\u4e00-\u9fff]/);
      expect(code.startsWith(OUTCOMES[code].group)).toBe(true);
    }
  });

  it('maps onto exactly the 21 result rows of table 三, in order', () => {
    expect([...new Set(OUTCOME_CODES.map((c) => OUTCOMES[c].reportRow))]).toEqual(RESULT_ROWS);
  });

  it('names the letter of letters.md', () => {
    for (const code of OUTCOME_CODES) {
      const lapse = code === 'other.correction_lapsed' || code === 'other.fee_unpaid';
      expect([code, OUTCOMES[code].letterTemplate]).toEqual([code, lapse ? 'termination_notice' : `reply.${code}`]);
    }
    expect(OUTCOMES.granted.letterTemplate).toBe('reply.granted');
  });

  it('drafts replies with every outcome but the two lapses', () => {
    expect(DRAFTABLE_OUTCOMES).toHaveLength(20);
    expect(DRAFTABLE_OUTCOMES).not.toContain('other.correction_lapsed');
    expect(DRAFTABLE_OUTCOMES).not.toContain('other.fee_unpaid');
  });

  it('recognises codes', () => {
    expect(isOutcomeCode('granted')).toBe(true);
    expect(isOutcomeCode('withheld')).toBe(false);
    expect(isOutcomeCode(null)).toBe(false);
    expect(WITHHELD_CODES).toHaveLength(8);
    expect(isWithheldCode('withheld.third_party')).toBe(true);
    expect(isWithheldCode('partial')).toBe(false);
  });

  it('cites the grounds of a partial reply beside Art 37', () => {
    expect(articlesFor('partial', ['withheld.third_party', 'withheld.state_secret'])).toEqual([
      '37',
      '36(三)',
      '15',
      '32',
      '14',
    ]);
    expect(articlesFor('granted', ['withheld.state_secret'])).toEqual(['36(二)', '40']);
    expect(articlesFor('withheld.state_secret', ['withheld.state_secret'])).toEqual(['36(三)', '14']);
  });
});

describe('reconsiderationFirst (statute §6)', () => {
  const first = new Set<OutcomeCode>([
    'partial',
    'withheld.state_secret',
    'withheld.law_prohibited',
    'withheld.security_stability',
    'withheld.third_party',
    'withheld.internal_affairs',
    'withheld.process_info',
    'withheld.enforcement_file',
  ]);

  it.each(OUTCOME_CODES.map((c) => [c]))('%s', (code) => {
    expect(reconsiderationFirst(code, '2023-12-31')).toBe(false);
    expect(reconsiderationFirst(code, '2024-01-01')).toBe(first.has(code));
    expect(reconsiderationFirst(code, '2030-06-15')).toBe(first.has(code));
  });

  it('refuses a malformed date', () => {
    expect(() => reconsiderationFirst('partial', '2024-02-30')).toThrow(RangeError);
    expect(() => reconsiderationFirst('partial', '20240101')).toThrow(RangeError);
  });
});

describe('validateOutcomeDetails', () => {
  const fields = (code: string, details?: object) => validateOutcomeDetails(code, details).map((p) => p.field);

  it('refuses an unknown code', () => {
    expect(validateOutcomeDetails('granted.partly', {})).toEqual([{ field: 'outcome', message: expect.any(String) }]);
  });

  it('asks for the withheld part, grounds and reasons (Arts 36(三), 37)', () => {
    for (const code of ['partial', ...WITHHELD_CODES]) {
      expect(fields(code, {})).toEqual(['reasons', 'withheldParts', 'grounds']);
      const own = code === 'partial' ? 'withheld.third_party' : code;
      expect(fields(code, { ...WITHHELD, grounds: [own] })).toEqual([]);
    }
  });

  it('checks the grounds', () => {
    expect(fields('partial', { ...WITHHELD, grounds: [] })).toEqual(['grounds']);
    expect(fields('partial', { ...WITHHELD, grounds: ['granted'] })).toEqual(['grounds[0]']);
    expect(fields('partial', { ...WITHHELD, grounds: ['withheld.third_party', 'withheld.third_party'] })).toEqual([
      'grounds[1]',
    ]);
    expect(fields('withheld.state_secret', { ...WITHHELD, grounds: ['withheld.third_party'] })).toEqual(['grounds']);
    expect(
      fields('withheld.state_secret', { ...WITHHELD, grounds: ['withheld.state_secret', 'withheld.third_party'] }),
    ).toEqual([]);
  });

  it('checks the withheld parts and reasons', () => {
    const g = { grounds: ['withheld.process_info'] };
    expect(fields('withheld.process_info', { ...g, reasons: '  ', withheldParts: ['a', ''] })).toEqual([
      'reasons',
      'withheldParts[1]',
    ]);
    expect(fields('withheld.process_info', { ...g, reasons: 'x'.repeat(2001), withheldParts: 'a' })).toEqual([
      'reasons',
      'withheldParts',
    ]);
    expect(fields('withheld.process_info', { ...g, reasons: '汉'.repeat(2000), withheldParts: ['a'] })).toEqual([]);
  });

  it('refuses details the outcome does not use', () => {
    expect(fields('granted', { withheldParts: ['x'] })).toEqual(['withheldParts']);
    expect(fields('granted', { competentAgency: { name: '市自然资源局' } })).toEqual(['competentAgency']);
    expect(fields('other.other', { reasons: '申请人撤回', earlierReply: { documentNumber: 'x', date: '2024-01-01' } })).toEqual([
      'earlierReply',
    ]);
    expect(fields('granted', {})).toEqual([]);
    expect(fields('granted', { reasons: '随函提供' })).toEqual([]);
  });

  it('takes an optional competent agency for not_held (Art 36(五))', () => {
    expect(fields('unavailable.not_held', {})).toEqual([]);
    expect(fields('unavailable.not_held', { competentAgency: { name: '市自然资源局', contact: '024-12345678' } })).toEqual(
      [],
    );
    expect(fields('unavailable.not_held', { competentAgency: { name: '' } })).toEqual(['competentAgency.name']);
    expect(fields('unavailable.not_held', { competentAgency: { name: '局', contact: '' } })).toEqual([
      'competentAgency.contact',
    ]);
    expect(fields('unavailable.not_held', { competentAgency: '市自然资源局' })).toEqual(['competentAgency']);
  });

  it('asks for the earlier reply of a duplicate (Art 36(六))', () => {
    expect(fields('rejected.duplicate', {})).toEqual(['earlierReply']);
    expect(fields('rejected.duplicate', { earlierReply: { documentNumber: '盘×依复〔2024〕3号', date: '2024-03-07' } })).toEqual(
      [],
    );
    expect(fields('rejected.duplicate', { earlierReply: { documentNumber: '', date: '2024-02-30' } })).toEqual([
      'earlierReply.documentNumber',
      'earlierReply.date',
    ]);
  });

  it('asks for free-text reasons where the letter needs them', () => {
    for (const code of [
      'granted.proactive',
      'rejected.petition',
      'rejected.publication',
      'rejected.vexatious',
      'other.other',
    ]) {
      expect([code, fields(code, {})]).toEqual([code, ['reasons']]);
      expect([code, fields(code, { reasons: '说明' })]).toEqual([code, []]);
    }
  });

  it('gives Chinese messages', () => {
    for (const p of validateOutcomeDetails('partial', {})) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('accepts undefined details where nothing is required, and treats null as absent', () => {
    expect(validateOutcomeDetails('unavailable.needs_creation')).toEqual([]);
    expect(fields('unavailable.needs_creation', { reasons: null })).toEqual([]);
  });
});
