import fc from 'fast-check';
import {
  buildAnnualTables,
  changedCells,
  checkTables,
  formatOfYear,
  previousCarriedOut,
  resultRowOf,
  table3Layout,
  table3Rows,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  TABLE3_ROW_LABELS,
  TABLE4_LABELS,
  FORMAT_2019,
  FORMAT_2021,
  type ApplicationCounts,
  type ReviewCounts,
} from './annual-report';
import { APPLICANT_TYPES, type ApplicantType } from './intake';
import { OUTCOME_CODES, type OutcomeCode } from './outcomes';

// The national table, copied by hand from 国办公开办函〔2021〕30号 (annual-report.md): code → label, in order.
const EXPECTED_2021: [string, string][] = [
  ['new', '一、本年新收政府信息公开申请数量'],
  ['carried_in', '二、上年结转政府信息公开申请数量'],
  ['granted', '（一）予以公开'],
  ['partial', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'],
  ['withheld.state_secret', '1.属于国家秘密'],
  ['withheld.law_prohibited', '2.其他法律行政法规禁止公开'],
  ['withheld.security_stability', '3.危及“三安全一稳定”'],
  ['withheld.third_party', '4.保护第三方合法权益'],
  ['withheld.internal_affairs', '5.属于三类内部事务信息'],
  ['withheld.process_info', '6.属于四类过程性信息'],
  ['withheld.enforcement_file', '7.属于行政执法案卷'],
  ['withheld.administrative_query', '8.属于行政查询事项'],
  ['unavailable.not_held', '1.本机关不掌握相关政府信息'],
  ['unavailable.needs_creation', '2.没有现成信息需要另行制作'],
  ['unavailable.still_unclear', '3.补正后申请内容仍不明确'],
  ['rejected.petition', '1.信访举报投诉类申请'],
  ['rejected.duplicate', '2.重复申请'],
  ['rejected.publication', '3.要求提供公开出版物'],
  ['rejected.vexatious', '4.无正当理由大量反复申请'],
  ['rejected.confirmation', '5.要求行政机关确认或重新出具已获取信息'],
  ['other.correction_lapsed', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['other.fee_unpaid', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['other.other', '3.其他'],
  ['concluded_total', '（七）总计'],
  ['carried_out', '四、结转下年度继续办理'],
];
const EXPECTED_2019: [string, string][] = [...EXPECTED_2021.slice(0, 20), ['other', '（六）其他处理'], ...EXPECTED_2021.slice(23)];

const COLS = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org', 'total'];

describe('annual report format', () => {
  it('uses the 2019 format for 2019 and 2020 and the 2021 format after; no format before 2019', () => {
    expect(formatOfYear(2019)).toBe('国办公开办函〔2019〕60号');
    expect(formatOfYear(2020)).toBe('国办公开办函〔2019〕60号');
    for (const y of [2021, 2022, 2024, 2030]) expect(formatOfYear(y)).toBe('国办公开办函〔2021〕30号');
    expect(() => formatOfYear(2018)).toThrow(RangeError);
    expect(() => formatOfYear(2021.5)).toThrow(RangeError);
  });

  it('has the national rows in order with their labels character for character', () => {
    expect(table3Rows(FORMAT_2021).map((r) => [r, TABLE3_ROW_LABELS[r]])).toEqual(EXPECTED_2021);
    expect(table3Rows(FORMAT_2019).map((r) => [r, TABLE3_ROW_LABELS[r]])).toEqual(EXPECTED_2019);
  });

  it('has the columns in order with their labels', () => {
    expect(TABLE3_COLUMNS).toEqual(COLS);
    expect(COLS.map((c) => TABLE3_COLUMN_LABELS[c as keyof typeof TABLE3_COLUMN_LABELS])).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    expect(TABLE4_LABELS.cells).toEqual({ upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结', total: '总计' });
  });

  it('lays the result rows under their merged group labels', () => {
    const lines = table3Layout(FORMAT_2021);
    expect(lines.find((l) => l.code === 'withheld.third_party')!.labels).toEqual(['三、本年度办理结果', '（三）不予公开', '4.保护第三方合法权益']);
    expect(lines.find((l) => l.code === 'other.fee_unpaid')!.labels[1]).toBe('（六）其他处理');
    expect(lines.find((l) => l.code === 'granted')!.labels).toEqual(['三、本年度办理结果', '（一）予以公开']);
    expect(lines.find((l) => l.code === 'concluded_total')!.labels).toEqual(['三、本年度办理结果', '（七）总计']);
    expect(lines.find((l) => l.code === 'new')!.labels).toEqual(['一、本年新收政府信息公开申请数量']);
    expect(table3Layout(FORMAT_2019).find((l) => l.code === 'other')!.labels).toEqual(['三、本年度办理结果', '（六）其他处理']);
  });

  // every outcome code × both formats, written out: the row it is counted in
  const ROW_2021: Record<OutcomeCode, string> = Object.fromEntries(OUTCOME_CODES.map((c) => [c, c])) as Record<OutcomeCode, string>;
  ROW_2021['granted.proactive'] = 'granted';
  it.each(OUTCOME_CODES.map((c) => [c]))('counts outcome %s in its row in both formats', (code) => {
    expect(resultRowOf(code, FORMAT_2021)).toBe(ROW_2021[code]);
    expect(resultRowOf(code, FORMAT_2019)).toBe(code.startsWith('other.') ? 'other' : ROW_2021[code]);
  });

  it('puts one concluded case of each outcome × applicant type in exactly one cell', () => {
    for (const year of [2020, 2024]) {
      for (const outcome of OUTCOME_CODES) {
        for (const applicantType of APPLICANT_TYPES) {
          const t = buildAnnualTables(year, [{ applicantType, outcome, new: 1, carriedIn: 0, concluded: 1, carriedOut: 0 }], []);
          const nonZero = Object.entries(t.applications.rows).flatMap(([r, row]) => Object.entries(row).filter(([, v]) => v !== 0).map(([c, v]) => `${r}.${c}=${v}`));
          const row = resultRowOf(outcome, formatOfYear(year));
          expect(nonZero.sort()).toEqual(
            [`new.${applicantType}=1`, `new.total=1`, `${row}.${applicantType}=1`, `${row}.total=1`, `concluded_total.${applicantType}=1`, 'concluded_total.total=1'].sort(),
          );
          expect(checkTables(t).checks).toEqual({ balanced: true, rowTotals: true, resultTotal: true, carriedOver: true, reviewTotals: true });
        }
      }
    }
  });

  it('builds table 四 with totals', () => {
    const reviews: ReviewCounts[] = [
      { kind: 'reconsideration', result: 'upheld', count: 2 },
      { kind: 'reconsideration', result: 'corrected', count: 1 },
      { kind: 'reconsideration', result: 'pending', count: 1 },
      { kind: 'litigation_direct', result: 'other', count: 3 },
      { kind: 'litigation_after_reconsideration', result: 'corrected', count: 4 },
    ];
    const t = buildAnnualTables(2024, [], reviews);
    expect(t.reviews).toEqual({
      reconsideration: { upheld: 2, corrected: 1, other: 0, pending: 1, total: 4 },
      litigation_direct: { upheld: 0, corrected: 0, other: 3, pending: 0, total: 3 },
      litigation_after_reconsideration: { upheld: 0, corrected: 4, other: 0, pending: 0, total: 4 },
    });
  });

  it('refuses counts it cannot place', () => {
    expect(() => buildAnnualTables(2024, [{ applicantType: 'alien' as ApplicantType, outcome: null, new: 1, carriedIn: 0, concluded: 0, carriedOut: 1 }], [])).toThrow(RangeError);
    expect(() => buildAnnualTables(2024, [{ applicantType: 'research', outcome: null, new: 1, carriedIn: 0, concluded: 1, carriedOut: 0 }], [])).toThrow(RangeError);
    expect(() => buildAnnualTables(2024, [{ applicantType: 'research', outcome: null, new: -1, carriedIn: 0, concluded: 0, carriedOut: 0 }], [])).toThrow(RangeError);
    expect(() => buildAnnualTables(2024, [], [{ kind: 'appeal' as 'reconsideration', result: 'upheld', count: 1 }])).toThrow(RangeError);
  });
});

// ---- property: random case histories counted by hand, then every rule holds; a tampered cell breaks its rule

interface Case {
  type: ApplicantType;
  received: number; // day number
  concluded: number | null;
  outcome: OutcomeCode;
}

const YEAR_DAYS = 10; // a toy calendar: year k is days [k*10, k*10+9]
const caseArb = fc
  .record({
    type: fc.constantFrom(...APPLICANT_TYPES),
    received: fc.integer({ min: 0, max: 39 }),
    duration: fc.option(fc.integer({ min: 0, max: 25 }), { nil: null }),
    outcome: fc.constantFrom(...OUTCOME_CODES),
  })
  .map(({ type, received, duration, outcome }): Case => ({ type, received, concluded: duration === null ? null : received + duration, outcome }));

/** Groups as the SQL does, for year index y (calendar year 2019 + y). */
function countsFor(cases: Case[], y: number): ApplicationCounts[] {
  const s = y * YEAR_DAYS;
  const e = s + YEAR_DAYS - 1;
  const groups = new Map<string, ApplicationCounts>();
  for (const c of cases) {
    const concludedIn = c.concluded !== null && c.concluded >= s && c.concluded <= e;
    const key = `${c.type}|${concludedIn ? c.outcome : ''}`;
    const g = groups.get(key) ?? { applicantType: c.type, outcome: concludedIn ? c.outcome : null, new: 0, carriedIn: 0, concluded: 0, carriedOut: 0, carriedOutPrevious: 0 };
    groups.set(key, g);
    if (c.received >= s && c.received <= e) g.new++;
    if (c.received < s && (c.concluded === null || c.concluded >= s)) g.carriedIn++;
    if (concludedIn) g.concluded++;
    if (c.received <= e && (c.concluded === null || c.concluded > e)) g.carriedOut++;
    if (c.received <= s - 1 && (c.concluded === null || c.concluded > s - 1)) g.carriedOutPrevious!++;
  }
  return [...groups.values()];
}

describe('annual report arithmetic (property)', () => {
  it('every rule holds for consistent counts, in both formats, and carried out(Y) = carried in(Y+1)', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 60 }), fc.integer({ min: 0, max: 2 }), (cases, y) => {
        const year = 2019 + y;
        const counts = countsFor(cases, y);
        const t = buildAnnualTables(year, counts, []);
        const { checks, problems } = checkTables(t, previousCarriedOut(counts));
        expect(problems).toEqual([]);
        expect(Object.values(checks).every(Boolean)).toBe(true);
        const next = buildAnnualTables(year + 1, countsFor(cases, y + 1), []);
        expect(next.applications.rows.carried_in).toEqual(t.applications.rows.carried_out);
        // concluded cases in the year, counted directly
        const s = y * YEAR_DAYS;
        expect(t.applications.rows.concluded_total.total).toBe(cases.filter((c) => c.concluded !== null && c.concluded >= s && c.concluded < s + YEAR_DAYS).length);
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });

  it('a changed figure breaks the rule it belongs to and is reported as a changed cell', () => {
    fc.assert(
      fc.property(
        fc.array(caseArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('new', 'carried_in', 'carried_out', 'granted', 'other.other'),
        fc.constantFrom(...APPLICANT_TYPES),
        (cases, row, col) => {
          const counts = countsFor(cases, 1);
          const good = buildAnnualTables(2021, counts, []);
          const bad = structuredClone(good);
          bad.applications.rows[row][col] += 1;
          const { checks, problems } = checkTables(bad, previousCarriedOut(counts));
          expect(checks.rowTotals).toBe(false); // total no longer the sum
          if (row === 'new' || row === 'carried_out') expect(checks.balanced).toBe(false);
          if (row === 'carried_in') expect(checks.carriedOver).toBe(false);
          if (row === 'granted' || row === 'other.other') expect(checks.resultTotal).toBe(false);
          expect(problems.some((p) => p.where === row && p.rule === 'rowTotals')).toBe(true);
          expect(changedCells(good, bad)).toEqual([{ table: 'applications', row, column: col, published: good.applications.rows[row][col], live: good.applications.rows[row][col] + 1 }]);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('reports a table-四 total that is not the sum', () => {
    const t = buildAnnualTables(2024, [], [{ kind: 'reconsideration', result: 'upheld', count: 2 }]);
    t.reviews.reconsideration.total = 3;
    expect(checkTables(t).checks.reviewTotals).toBe(false);
    expect(checkTables(t).problems).toEqual([{ rule: 'reviewTotals', where: 'reconsideration', expected: 2, actual: 3 }]);
  });
});
