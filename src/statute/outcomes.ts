/**
 * The outcome catalogue (办理结果) of statute.md §5: one row per outcome code, with the
 * articles of the Regulation relied on, the annual-report row (table 三), the letter that
 * tells the applicant, and the details a reply must carry. Codes are stable API values.
 */

export const OUTCOME_CODES = [
  'granted.proactive',
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
] as const;

export type OutcomeCode = (typeof OUTCOME_CODES)[number];

export type WithheldOutcomeCode = Extract<OutcomeCode, `withheld.${string}`>;

/** Result rows of annual-report table 三: every code is its own row, except `granted.proactive` → `granted`. */
export type ReportResultRow = Exclude<OutcomeCode, 'granted.proactive'>;

/** The groups of table 三 （一）…（六）. */
export type OutcomeGroup = 'granted' | 'partial' | 'withheld' | 'unavailable' | 'rejected' | 'other';

export const OUTCOME_GROUP_LABELS: Readonly<Record<OutcomeGroup, string>> = {
  granted: '予以公开',
  partial: '部分公开',
  withheld: '不予公开',
  unavailable: '无法提供',
  rejected: '不予处理',
  other: '其他处理',
};

export type LetterTemplateCode = `reply.${OutcomeCode}` | 'termination_notice';

/** Details an outcome may carry (the `draft-reply` body besides `outcome`). */
export type OutcomeDetailField = 'reasons' | 'withheldParts' | 'grounds' | 'competentAgency' | 'earlierReply';

export interface OutcomeDetails {
  /** Free text for the letter body (理由、说明): up to 2,000 characters. */
  readonly reasons?: string;
  /** What is withheld (不予公开的内容), each up to 2,000 characters. */
  readonly withheldParts?: readonly string[];
  /** The ground(s) of withholding as `withheld.*` codes; each brings its articles (see `articlesFor`). */
  readonly grounds?: readonly string[];
  /** Art 36(五): the agency that holds the information, when known. */
  readonly competentAgency?: { readonly name: string; readonly contact?: string };
  /** Art 36(六): the earlier reply (its 发文字号 and date, YYYY-MM-DD). */
  /** Art 36(六): the earlier reply; `caseId` when it is a case of the system (number and date filled from it) */
  readonly earlierReply?: { readonly documentNumber: string; readonly date: string; readonly caseId?: string; readonly beforeSystem?: boolean };
}

export interface OutcomeDetailProblem {
  readonly field: string;
  readonly message: string;
}

export interface OutcomeDefinition {
  readonly code: OutcomeCode;
  readonly group: OutcomeGroup;
  /** Chinese label (the annual report's wording where it has one). */
  readonly label: string;
  /** Articles of the Regulation relied on, e.g. `['36(二)', '40']`; `办法` = the fee measures. */
  readonly articles: readonly string[];
  readonly reportRow: ReportResultRow;
  /** The letter that tells the applicant (letters.md); null: none. */
  readonly letterTemplate: LetterTemplateCode | null;
  /** Details that must be present. */
  readonly requires: readonly OutcomeDetailField[];
  /** Details that may be present; any other detail is refused. */
  readonly optional: readonly OutcomeDetailField[];
  /** Whether a reply may be drafted with it (false for the two lapses, concluded by `conclude-lapsed`). */
  readonly draftable: boolean;
}

type Row = Omit<OutcomeDefinition, 'reportRow' | 'letterTemplate' | 'draftable' | 'optional'> &
  Partial<Pick<OutcomeDefinition, 'optional'>>;

const WITHHELD_DETAILS: readonly OutcomeDetailField[] = ['withheldParts', 'grounds', 'reasons'];

const ROWS: readonly Row[] = [
  { code: 'granted.proactive', group: 'granted', label: '已主动公开', articles: ['36(一)'], requires: ['reasons'] },
  { code: 'granted', group: 'granted', label: '予以公开', articles: ['36(二)', '40'], requires: [], optional: ['reasons'] },
  { code: 'partial', group: 'partial', label: '部分公开', articles: ['37'], requires: WITHHELD_DETAILS },
  { code: 'withheld.state_secret', group: 'withheld', label: '属于国家秘密', articles: ['36(三)', '14'], requires: WITHHELD_DETAILS },
  { code: 'withheld.law_prohibited', group: 'withheld', label: '其他法律行政法规禁止公开', articles: ['36(三)', '14'], requires: WITHHELD_DETAILS },
  { code: 'withheld.security_stability', group: 'withheld', label: '危及“三安全一稳定”', articles: ['36(三)', '14'], requires: WITHHELD_DETAILS },
  { code: 'withheld.third_party', group: 'withheld', label: '保护第三方合法权益', articles: ['36(三)', '15', '32'], requires: WITHHELD_DETAILS },
  { code: 'withheld.internal_affairs', group: 'withheld', label: '属于三类内部事务信息', articles: ['36(三)', '16 ¶1'], requires: WITHHELD_DETAILS },
  { code: 'withheld.process_info', group: 'withheld', label: '属于四类过程性信息', articles: ['36(三)', '16 ¶2'], requires: WITHHELD_DETAILS },
  { code: 'withheld.enforcement_file', group: 'withheld', label: '属于行政执法案卷', articles: ['36(三)', '16 ¶2'], requires: WITHHELD_DETAILS },
  // 36(七): a referral to another statutory access procedure; `reasons` names the law and where to apply.
  { code: 'withheld.administrative_query', group: 'withheld', label: '属于行政查询事项', articles: ['36(七)'], requires: WITHHELD_DETAILS },
  // 36(四) does not exist, or 36(五) not this agency's (name the competent agency when known).
  { code: 'unavailable.not_held', group: 'unavailable', label: '本机关不掌握相关政府信息', articles: ['36(四)', '36(五)'], requires: [], optional: ['competentAgency', 'reasons'] },
  { code: 'unavailable.needs_creation', group: 'unavailable', label: '没有现成信息需要另行制作', articles: ['38'], requires: [], optional: ['reasons'] },
  { code: 'unavailable.still_unclear', group: 'unavailable', label: '补正后申请内容仍不明确', articles: ['30'], requires: [], optional: ['reasons'] },
  // `reasons`: the proper channel for the petition or complaint.
  { code: 'rejected.petition', group: 'rejected', label: '信访举报投诉类申请', articles: ['39 ¶1'], requires: ['reasons'] },
  { code: 'rejected.duplicate', group: 'rejected', label: '重复申请', articles: ['36(六)'], requires: ['earlierReply'], optional: ['reasons'] },
  // `reasons`: where to obtain the publication.
  { code: 'rejected.publication', group: 'rejected', label: '要求提供公开出版物', articles: ['39 ¶2'], requires: ['reasons'] },
  // `reasons`: why the reasons given under Art 35 were found unreasonable.
  { code: 'rejected.vexatious', group: 'rejected', label: '无正当理由大量反复申请', articles: ['35'], requires: ['reasons'] },
  { code: 'rejected.confirmation', group: 'rejected', label: '要求行政机关确认或重新出具已获取信息', articles: [], requires: [], optional: ['reasons'] },
  { code: 'other.correction_lapsed', group: 'other', label: '申请人逾期不补正', articles: ['30'], requires: [], optional: ['reasons'] },
  { code: 'other.fee_unpaid', group: 'other', label: '申请人逾期未缴纳信息处理费', articles: ['42', '办法'], requires: [], optional: ['reasons'] },
  { code: 'other.other', group: 'other', label: '其他', articles: [], requires: ['reasons'] },
];

const LAPSES: readonly OutcomeCode[] = ['other.correction_lapsed', 'other.fee_unpaid'];

export const OUTCOMES: Readonly<Record<OutcomeCode, OutcomeDefinition>> = Object.fromEntries(
  ROWS.map((row): [OutcomeCode, OutcomeDefinition] => {
    const lapse = LAPSES.includes(row.code);
    return [
      row.code,
      {
        ...row,
        optional: row.optional ?? [],
        reportRow: row.code === 'granted.proactive' ? 'granted' : row.code,
        // letters.md: lapses are told by the termination notice; every other outcome has its reply.
        // A withdrawal (concluded with `other.other` by `withdraw`) issues no letter: the service's concern.
        letterTemplate: lapse ? 'termination_notice' : `reply.${row.code}`,
        draftable: !lapse,
      },
    ];
  }),
) as Record<OutcomeCode, OutcomeDefinition>;

export const DRAFTABLE_OUTCOMES: readonly OutcomeCode[] = OUTCOME_CODES.filter((c) => OUTCOMES[c].draftable);

export const WITHHELD_CODES: readonly WithheldOutcomeCode[] = OUTCOME_CODES.filter(
  (c): c is WithheldOutcomeCode => c.startsWith('withheld.'),
);

export function isOutcomeCode(s: unknown): s is OutcomeCode {
  return typeof s === 'string' && (OUTCOME_CODES as readonly string[]).includes(s);
}

export function isWithheldCode(s: unknown): s is WithheldOutcomeCode {
  return typeof s === 'string' && (WITHHELD_CODES as readonly string[]).includes(s);
}

/** The articles a reply cites: the outcome's own, plus for `partial` those of each ground (Art 37 + ground). */
export function articlesFor(code: OutcomeCode, grounds: readonly WithheldOutcomeCode[] = []): readonly string[] {
  const own = OUTCOMES[code].articles;
  const extra = code === 'partial' || code.startsWith('withheld.') ? grounds.flatMap((g) => OUTCOMES[g].articles) : [];
  return [...new Set([...own, ...extra])];
}

/** 行政复议法 (2023) Art 23(4), in force 2024-01-01. */
export const RECONSIDERATION_FIRST_FROM = '2024-01-01';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * Statute §6: must the applicant go to reconsideration before suing (复议前置)?
 * From 2024-01-01 yes for a decision not to disclose: `withheld.*` except the 36(七) referral,
 * and `partial` (its withheld part). `replyDate` is the reply's date, YYYY-MM-DD.
 */
export function reconsiderationFirst(outcome: OutcomeCode, replyDate: string): boolean {
  if (!isRealIsoDate(replyDate)) throw new RangeError(`not a YYYY-MM-DD date: ${replyDate}`);
  if (replyDate < RECONSIDERATION_FIRST_FROM) return false;
  return outcome === 'partial' || (outcome.startsWith('withheld.') && outcome !== 'withheld.administrative_query');
}

export const REASONS_MAX = 2000;
export const NAME_MAX = 100;
export const CONTACT_MAX = 200;

const FIELD_LABELS: Readonly<Record<OutcomeDetailField, string>> = {
  reasons: '理由说明',
  withheldParts: '不予公开的内容',
  grounds: '不予公开的依据',
  competentAgency: '负责公开该信息的机关',
  earlierReply: '此前的答复',
};

const isNonBlank = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isPresent = (v: unknown): boolean => v !== undefined && v !== null;
const len = (s: string): number => [...s].length;

/**
 * Problems with the details of a reply of outcome `code` (empty when fine), each naming
 * the field as the API's `details.fields` does. Fields the outcome does not use are refused.
 */
export function validateOutcomeDetails(code: string, details: OutcomeDetails = {}): OutcomeDetailProblem[] {
  if (!isOutcomeCode(code)) return [{ field: 'outcome', message: '答复类型不在目录中' }];
  const def = OUTCOMES[code];
  const problems: OutcomeDetailProblem[] = [];
  const add = (field: string, message: string): void => void problems.push({ field, message });
  const d = details as Record<OutcomeDetailField, unknown>;

  for (const field of Object.keys(FIELD_LABELS) as OutcomeDetailField[]) {
    const present = isPresent(d[field]);
    if (def.requires.includes(field)) {
      if (!present) add(field, `此答复类型须填写${FIELD_LABELS[field]}`);
    } else if (!def.optional.includes(field)) {
      if (present) add(field, `此答复类型不适用${FIELD_LABELS[field]}`);
      continue;
    }
    if (present) checkField(field, d[field], code, add);
  }
  return problems;
}

function checkField(
  field: OutcomeDetailField,
  value: unknown,
  code: OutcomeCode,
  add: (field: string, message: string) => void,
): void {
  switch (field) {
    case 'reasons':
      if (!isNonBlank(value)) add('reasons', '理由说明不能为空');
      else if (len(value) > REASONS_MAX) add('reasons', `理由说明不能超过${REASONS_MAX}字`);
      return;
    case 'withheldParts':
      if (!Array.isArray(value) || value.length === 0) return add('withheldParts', '须列明不予公开的内容');
      value.forEach((part, i) => {
        if (!isNonBlank(part)) add(`withheldParts[${i}]`, '不予公开的内容不能为空');
        else if (len(part) > REASONS_MAX) add(`withheldParts[${i}]`, `不予公开的内容不能超过${REASONS_MAX}字`);
      });
      return;
    case 'grounds': {
      if (!Array.isArray(value) || value.length === 0) return add('grounds', '须列明不予公开的依据');
      value.forEach((g, i) => {
        if (!isWithheldCode(g)) add(`grounds[${i}]`, '不予公开的依据须为不予公开的答复类型之一');
        else if (value.indexOf(g) !== i) add(`grounds[${i}]`, '不予公开的依据重复');
      });
      // Art 36(三): a withheld.* reply relies on its own ground (others may be added).
      if (code !== 'partial' && !value.includes(code)) add('grounds', `不予公开的依据须包括“${OUTCOMES[code].label}”`);
      return;
    }
    case 'competentAgency': {
      if (typeof value !== 'object' || value === null) return add('competentAgency', '负责公开该信息的机关格式不正确');
      const { name, contact } = value as { name?: unknown; contact?: unknown };
      if (!isNonBlank(name)) add('competentAgency.name', '须填写机关名称');
      else if (len(name) > NAME_MAX) add('competentAgency.name', `机关名称不能超过${NAME_MAX}字`);
      if (isPresent(contact)) {
        if (!isNonBlank(contact)) add('competentAgency.contact', '联系方式不能为空');
        else if (len(contact) > CONTACT_MAX) add('competentAgency.contact', `联系方式不能超过${CONTACT_MAX}字`);
      }
      return;
    }
    case 'earlierReply': {
      if (typeof value !== 'object' || value === null) return add('earlierReply', '此前的答复格式不正确');
      const { documentNumber, date } = value as { documentNumber?: unknown; date?: unknown };
      if (!isNonBlank(documentNumber)) add('earlierReply.documentNumber', '须填写此前答复的文号');
      else if (len(documentNumber) > NAME_MAX) add('earlierReply.documentNumber', `文号不能超过${NAME_MAX}字`);
      if (typeof date !== 'string' || !isRealIsoDate(date)) add('earlierReply.date', '须填写此前答复的日期（YYYY-MM-DD）');
      return;
    }
  }
}
