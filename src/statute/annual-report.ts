/**
 * The national annual report (《中华人民共和国政府信息公开工作年度报告格式》), parts 三 and 四: the labels
 * character for character, the row and column order, and the mapping from aggregate counts onto the
 * table with the arithmetic it must satisfy. Pure: the counting happens in SQL, the format here.
 *
 * 2021 and later: 国办公开办函〔2021〕30号. 2019 and 2020: 国办公开办函〔2019〕60号, identical except that
 * （六）其他处理 is one row (`other`) instead of three.
 */
import { APPLICANT_TYPES, type ApplicantType } from './intake';
import { OUTCOMES, type OutcomeCode } from './outcomes';

/** The first year of the national format (reports for earlier years do not exist). */
export const FIRST_REPORT_YEAR = 2019;

export const FORMAT_2019 = '国办公开办函〔2019〕60号';
export const FORMAT_2021 = '国办公开办函〔2021〕30号';
export type ReportFormatName = typeof FORMAT_2019 | typeof FORMAT_2021;

export function formatOfYear(year: number): ReportFormatName {
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR) throw new RangeError(`no national report format for ${year}`);
  return year <= 2020 ? FORMAT_2019 : FORMAT_2021;
}

// ---------------------------------------------------------------- table 三: columns

export const APPLICANT_COLUMNS = APPLICANT_TYPES;
export type ApplicantColumn = ApplicantType;
export const TABLE3_COLUMNS = [...APPLICANT_COLUMNS, 'total'] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number];

export const TABLE3_COLUMN_LABELS: Readonly<Record<Table3Column, string>> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  public_interest: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
  total: '总计',
};

/** The header cells above the columns (merged in the official table). */
export const TABLE3_HEADER = {
  title: '三、收到和处理政府信息公开申请情况',
  /** the top-left merged cell: the table prints its first rule itself */
  rule: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
  applicants: '申请人情况',
  organisations: '法人或其他组织',
} as const;

// ---------------------------------------------------------------- table 三: rows

/** Result rows shared by both formats, in order, with their group. */
const RESULT_ROWS_COMMON = [
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
] as const;

const OTHER_ROWS_2021 = ['other.correction_lapsed', 'other.fee_unpaid', 'other.other'] as const;

export const RESULT_ROWS_2021 = [...RESULT_ROWS_COMMON, ...OTHER_ROWS_2021] as const;
export const RESULT_ROWS_2019 = [...RESULT_ROWS_COMMON, 'other'] as const;

export type ResultRow2021 = (typeof RESULT_ROWS_2021)[number];
export type ResultRow = ResultRow2021 | 'other';
export type Table3Row = 'new' | 'carried_in' | ResultRow | 'concluded_total' | 'carried_out';

export const TABLE3_ROWS_2021: readonly Table3Row[] = ['new', 'carried_in', ...RESULT_ROWS_2021, 'concluded_total', 'carried_out'];
export const TABLE3_ROWS_2019: readonly Table3Row[] = ['new', 'carried_in', ...RESULT_ROWS_2019, 'concluded_total', 'carried_out'];

export function table3Rows(format: ReportFormatName): readonly Table3Row[] {
  return format === FORMAT_2019 ? TABLE3_ROWS_2019 : TABLE3_ROWS_2021;
}

export function resultRows(format: ReportFormatName): readonly ResultRow[] {
  return format === FORMAT_2019 ? RESULT_ROWS_2019 : RESULT_ROWS_2021;
}

/** The labels of the data rows, as printed (both formats; `other` exists only in the 2019 format). */
export const TABLE3_ROW_LABELS: Readonly<Record<Table3Row, string>> = {
  new: '一、本年新收政府信息公开申请数量',
  carried_in: '二、上年结转政府信息公开申请数量',
  granted: '（一）予以公开',
  partial: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  'withheld.state_secret': '1.属于国家秘密',
  'withheld.law_prohibited': '2.其他法律行政法规禁止公开',
  'withheld.security_stability': '3.危及“三安全一稳定”',
  'withheld.third_party': '4.保护第三方合法权益',
  'withheld.internal_affairs': '5.属于三类内部事务信息',
  'withheld.process_info': '6.属于四类过程性信息',
  'withheld.enforcement_file': '7.属于行政执法案卷',
  'withheld.administrative_query': '8.属于行政查询事项',
  'unavailable.not_held': '1.本机关不掌握相关政府信息',
  'unavailable.needs_creation': '2.没有现成信息需要另行制作',
  'unavailable.still_unclear': '3.补正后申请内容仍不明确',
  'rejected.petition': '1.信访举报投诉类申请',
  'rejected.duplicate': '2.重复申请',
  'rejected.publication': '3.要求提供公开出版物',
  'rejected.vexatious': '4.无正当理由大量反复申请',
  'rejected.confirmation': '5.要求行政机关确认或重新出具已获取信息',
  'other.correction_lapsed': '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  'other.fee_unpaid': '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  'other.other': '3.其他',
  other: '（六）其他处理',
  concluded_total: '（七）总计',
  carried_out: '四、结转下年度继续办理',
};

/** Label cells that head a block of rows and hold no figures (merged over the block in the official table). */
export const TABLE3_GROUP_LABELS = {
  results: '三、本年度办理结果',
  withheld: '（三）不予公开',
  unavailable: '（四）无法提供',
  rejected: '（五）不予处理',
  other: '（六）其他处理',
} as const;
export type Table3Group = Exclude<keyof typeof TABLE3_GROUP_LABELS, 'results'>;

/** The sub-group a result row sits in (its merged label cell), or null for a row labelled on its own. */
export function groupOfRow(row: Table3Row, format: ReportFormatName): Table3Group | null {
  if (row.startsWith('withheld.')) return 'withheld';
  if (row.startsWith('unavailable.')) return 'unavailable';
  if (row.startsWith('rejected.')) return 'rejected';
  if (row.startsWith('other.') && format === FORMAT_2021) return 'other';
  return null;
}

/** The result row an outcome is counted in, in the given format. */
export function resultRowOf(outcome: OutcomeCode, format: ReportFormatName): ResultRow {
  const row = OUTCOMES[outcome].reportRow;
  return format === FORMAT_2019 && row.startsWith('other.') ? 'other' : row;
}

// ---------------------------------------------------------------- table 四

export const REVIEW_KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
export const TABLE4_CELLS = [...REVIEW_RESULTS, 'total'] as const;
export type Table4Cell = (typeof TABLE4_CELLS)[number];

export const TABLE4_LABELS = {
  title: '四、政府信息公开行政复议、行政诉讼情况',
  reconsideration: '行政复议',
  litigation: '行政诉讼',
  litigation_direct: '未经复议直接起诉',
  litigation_after_reconsideration: '复议后起诉',
  cells: { upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结', total: '总计' } as Readonly<Record<Table4Cell, string>>,
} as const;

// ---------------------------------------------------------------- the mapping

/** One group of the table-三 aggregate query: the cases of one applicant type, and (when concluded in the year) one outcome. */
export interface ApplicationCounts {
  applicantType: ApplicantType;
  /** the outcome of the cases concluded in the year; null for the group of cases not concluded in the year */
  outcome: OutcomeCode | null;
  /** received in the year */
  new: number;
  /** received before 1 January and not concluded before it */
  carriedIn: number;
  /** concluded in the year */
  concluded: number;
  /** received on or before 31 December and not concluded by then */
  carriedOut: number;
  /** carried out of the previous year (received by its 31 December, not concluded by then): rule 4 */
  carriedOutPrevious?: number;
}

/** One group of the table-四 aggregate query: proceedings filed in the year, by kind and result as known on 31 December. */
export interface ReviewCounts {
  kind: ReviewKind;
  result: ReviewResult;
  count: number;
}

export type Table3 = Record<string, Record<Table3Column, number>>;
export type Table4 = Record<ReviewKind, Record<Table4Cell, number>>;

export interface AnnualTables {
  year: number;
  format: ReportFormatName;
  applications: { columns: Table3Column[]; rows: Table3 };
  reviews: Table4;
}

export interface CheckProblem {
  rule: CheckName;
  /** the row or column (or review kind) where it fails */
  where: string;
  expected: number;
  actual: number;
}

export const CHECK_NAMES = ['balanced', 'rowTotals', 'resultTotal', 'carriedOver', 'reviewTotals'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type Checks = Record<CheckName, boolean>;

const emptyRow = (): Record<Table3Column, number> => Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, 0])) as Record<Table3Column, number>;

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/**
 * Table 三 and 四 of year `year` from the aggregate counts. Every total is computed here (row totals, （七）总计,
 * 四 totals); the figures counted by the query (new, carried in, each result, carried out) are taken as they are,
 * so `checkTables` can tell whether they agree.
 */
export function buildAnnualTables(year: number, applications: readonly ApplicationCounts[], reviews: readonly ReviewCounts[]): AnnualTables {
  const format = formatOfYear(year);
  const rows: Table3 = Object.fromEntries(table3Rows(format).map((r) => [r, emptyRow()]));
  for (const g of applications) {
    if (!(APPLICANT_COLUMNS as readonly string[]).includes(g.applicantType)) throw new RangeError(`unknown applicant type ${g.applicantType}`);
    for (const [k, v] of [['new', g.new], ['carriedIn', g.carriedIn], ['concluded', g.concluded], ['carriedOut', g.carriedOut]] as const) assertCount(v, k);
    const col = g.applicantType;
    rows.new[col] += g.new;
    rows.carried_in[col] += g.carriedIn;
    rows.carried_out[col] += g.carriedOut;
    if (g.concluded > 0) {
      if (!g.outcome || !(g.outcome in OUTCOMES)) throw new RangeError(`concluded cases without a known outcome: ${String(g.outcome)}`);
      rows[resultRowOf(g.outcome, format)][col] += g.concluded;
    }
  }
  for (const r of resultRows(format)) for (const c of APPLICANT_COLUMNS) rows.concluded_total[c] += rows[r][c];
  for (const r of Object.values(rows)) r.total = APPLICANT_COLUMNS.reduce((s, c) => s + r[c], 0);

  const t4 = Object.fromEntries(REVIEW_KINDS.map((k) => [k, Object.fromEntries(TABLE4_CELLS.map((c) => [c, 0]))])) as Table4;
  for (const g of reviews) {
    if (!REVIEW_KINDS.includes(g.kind)) throw new RangeError(`unknown review kind ${g.kind}`);
    if (!REVIEW_RESULTS.includes(g.result)) throw new RangeError(`unknown review result ${g.result}`);
    assertCount(g.count, 'count');
    t4[g.kind][g.result] += g.count;
  }
  for (const k of REVIEW_KINDS) t4[k].total = REVIEW_RESULTS.reduce((s, r) => s + t4[k][r], 0);

  return { year, format, applications: { columns: [...TABLE3_COLUMNS], rows }, reviews: t4 };
}

/**
 * One group of table 三's aggregate query: the cases of one applicant type and outcome that count alike in year Y.
 * Every case the query reads was received by 31 December and not concluded before 1 January.
 */
export interface AnnualGroupRow {
  applicantType: ApplicantType;
  /** the case's outcome (kept only when it concluded in Y) */
  outcome: OutcomeCode | null;
  /** received in Y; otherwise received before 1 January and not concluded before it (carried in) */
  fresh: boolean;
  /** concluded in Y */
  inYear: boolean;
  /** not concluded by 31 December (carried out) */
  out: boolean;
  count: number;
}

/**
 * Table 三's counts from the query's groups, one per applicant type and outcome of the cases concluded in Y (null for
 * the rest). The previous year's carried-out cases (received by its 31 December and not concluded by then) are
 * exactly this year's carried-in ones, so `carriedOutPrevious` is that count.
 */
export function annualGroupCounts(rows: readonly AnnualGroupRow[]): ApplicationCounts[] {
  const groups = new Map<string, ApplicationCounts>();
  for (const r of rows) {
    assertCount(r.count, 'count');
    const outcome = r.inYear ? r.outcome : null;
    const key = `${r.applicantType}|${outcome ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { applicantType: r.applicantType, outcome, new: 0, carriedIn: 0, concluded: 0, carriedOut: 0, carriedOutPrevious: 0 }));
    if (r.fresh) g.new += r.count;
    else {
      g.carriedIn += r.count;
      g.carriedOutPrevious = (g.carriedOutPrevious ?? 0) + r.count;
    }
    if (r.inYear) g.concluded += r.count;
    if (r.out) g.carriedOut += r.count;
  }
  return [...groups.values()];
}

/** The previous year's carried-out row by applicant column (with its total), from the same aggregate groups. */
export function previousCarriedOut(applications: readonly ApplicationCounts[]): Record<Table3Column, number> {
  const row = emptyRow();
  for (const g of applications) row[g.applicantType] += g.carriedOutPrevious ?? 0;
  row.total = APPLICANT_COLUMNS.reduce((s, c) => s + row[c], 0);
  return row;
}

/**
 * The arithmetic of annual-report.md, rule by rule, on finished tables:
 * `balanced` (1) every column: new + carried_in = concluded_total + carried_out;
 * `rowTotals` (2) every row: total = the six applicant columns;
 * `resultTotal` (3) concluded_total = the sum of the result rows;
 * `carriedOver` (4) carried_in of this year = carried_out of the previous year (when it is given);
 * `reviewTotals` table 四: each total = the sum of its four results.
 */
export function checkTables(t: AnnualTables, previousCarriedOutRow?: Readonly<Record<Table3Column, number>>): { checks: Checks; problems: CheckProblem[] } {
  const problems: CheckProblem[] = [];
  const rows = t.applications.rows;
  const fail = (rule: CheckName, where: string, expected: number, actual: number): void => {
    if (expected !== actual) problems.push({ rule, where, expected, actual });
  };
  for (const c of TABLE3_COLUMNS) fail('balanced', c, rows.new[c] + rows.carried_in[c], rows.concluded_total[c] + rows.carried_out[c]);
  for (const r of table3Rows(t.format)) {
    const row = rows[r];
    fail('rowTotals', r, APPLICANT_COLUMNS.reduce((s, c) => s + row[c], 0), row.total);
  }
  for (const c of TABLE3_COLUMNS) fail('resultTotal', c, resultRows(t.format).reduce((s, r) => s + rows[r][c], 0), rows.concluded_total[c]);
  if (previousCarriedOutRow) for (const c of TABLE3_COLUMNS) fail('carriedOver', c, previousCarriedOutRow[c], rows.carried_in[c]);
  for (const k of REVIEW_KINDS) fail('reviewTotals', k, REVIEW_RESULTS.reduce((s, r) => s + t.reviews[k][r], 0), t.reviews[k].total);
  const checks = Object.fromEntries(CHECK_NAMES.map((n) => [n, !problems.some((p) => p.rule === n)])) as Checks;
  return { checks, problems };
}

// ---------------------------------------------------------------- comparing a published report with the live figures

export interface ChangedCell {
  table: 'applications' | 'reviews';
  row: string;
  column: string;
  published: number;
  live: number;
}

/** The cells whose live figure differs from the published one (table 三 in row order, then table 四). */
export function changedCells(published: AnnualTables, live: AnnualTables): ChangedCell[] {
  const out: ChangedCell[] = [];
  for (const r of table3Rows(live.format)) {
    for (const c of TABLE3_COLUMNS) {
      const a = published.applications.rows[r]?.[c] ?? 0;
      const b = live.applications.rows[r][c];
      if (a !== b) out.push({ table: 'applications', row: r, column: c, published: a, live: b });
    }
  }
  for (const k of REVIEW_KINDS) {
    for (const c of TABLE4_CELLS) {
      const a = published.reviews[k]?.[c] ?? 0;
      const b = live.reviews[k][c];
      if (a !== b) out.push({ table: 'reviews', row: k, column: c, published: a, live: b });
    }
  }
  return out;
}

// ---------------------------------------------------------------- a plain-text layout (CSV)

/** One line of the table as printed: a label and, for data rows, its figures. */
export interface LayoutLine {
  /** the row code, or null for a label-only line */
  code: string | null;
  /** the labels of the line, outermost first (e.g. 三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密) */
  labels: string[];
}

/** Table 三 in print order, with the label hierarchy of every line. */
export function table3Layout(format: ReportFormatName): LayoutLine[] {
  const lines: LayoutLine[] = [];
  for (const r of table3Rows(format)) {
    const isResult = (resultRows(format) as readonly string[]).includes(r) || r === 'concluded_total';
    const group = groupOfRow(r, format);
    const labels: string[] = isResult ? [TABLE3_GROUP_LABELS.results] : [];
    if (group) labels.push(TABLE3_GROUP_LABELS[group]);
    labels.push(TABLE3_ROW_LABELS[r]);
    lines.push({ code: r, labels });
  }
  return lines;
}
