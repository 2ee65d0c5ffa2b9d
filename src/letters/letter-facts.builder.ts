import type { AgencyEntity } from '../agencies/agency.entity';
import { noticeSentOn, receivedOn, subDeadlinesOf } from '../cases/case-clock';
import type { CaseEntity } from '../cases/case.entity';
import { reasonsPeriodEnd } from '../statute/art35';
import type { WorkingCalendar } from '../statute/working-calendar';
import type { Addressee, LetterCode } from '../statute/letter-catalogue';
import type { OutcomeCode, OutcomeDetails } from '../statute/outcomes';
import { DomainError } from '../common/errors/domain-error';
import { LETTERS } from '../statute/letter-catalogue';
import { providedFileLine, providesFiles } from '../statute/release-files';
import { missingVariables, templateCodeFor, type LetterFacts, type WithheldItem } from './rendering';

/** Which letter, to whom, on which day: what the step knows beside the case and the agency. */
export interface LetterSpec {
  code: LetterCode;
  outcome: OutcomeCode | null;
  addressee: Addressee;
  consultationId: string | null;
  /** the letter's date (成文日期) */
  datedOn: string;
  /** 发文字号 parts once numbered; null for a draft or before numbering */
  number: { prefix: string; year: number; n: number } | null;
}

/** How a fee is paid when the agency has said nothing else (the 办法's usual channels). */
export const DEFAULT_PAYMENT_METHOD = '通过政府非税收入缴款渠道缴纳，或者到本机关政府信息公开申请受理窗口缴纳';

/** `partial` / `withheld.*`: each withheld part with its own ground (`withheld` given, or the parts paired with the grounds). */
export function withheldItems(d: (OutcomeDetails & { withheld?: readonly WithheldItem[] }) | null): WithheldItem[] | null {
  if (!d) return null;
  if (d.withheld?.length) return d.withheld.map((w) => ({ part: w.part, ground: w.ground }));
  const parts = d.withheldParts ?? [];
  const grounds = d.grounds ?? [];
  if (!parts.length) return null;
  return parts.map((part, i) => ({ part, ground: grounds[Math.min(i, grounds.length - 1)] ?? '' }));
}

/** A number as ISSUE_LETTER_SQL writes it, `{prefix}〔{year}〕{n}号`, back into its parts. */
export function numberParts(number: string | null): { prefix: string; year: number; n: number } | null {
  const m = number ? /^(.*)〔(\d{4})〕(\d+)号$/.exec(number) : null;
  return m ? { prefix: m[1], year: Number(m[2]), n: Number(m[3]) } : null;
}

/**
 * What a letter prints, from the case as the step left it and the agency (pure: no I/O). Never an identity
 * or telephone number: LetterFacts has no field for them. The query code is not part of it: the receipt's
 * code is sealed on the letter row and joined in only when it is rendered.
 */
export function buildLetterFacts(spec: LetterSpec, c: CaseEntity, agency: AgencyEntity, cal: WorkingCalendar): LetterFacts {
  // the applicant's periods as they stand (from the letter's day until its receipt is recorded)
  const periods = subDeadlinesOf(c, cal);
  const template = templateCodeFor(spec.code === 'reply' ? 'reply' : spec.code, spec.code === 'reply' ? spec.outcome : null);
  const consultation = spec.consultationId ? (c.consultations.find((k) => k.id === spec.consultationId) ?? null) : null;
  const toApplicant = spec.addressee === 'applicant';
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- false positive: adds the optional withheld and providedFiles
  const details = (spec.code === 'reply' ? (c.outcomeDetails ?? c.replyDraft?.details ?? null) : null) as (OutcomeDetails & { withheld?: readonly WithheldItem[]; providedFiles?: readonly string[] }) | null;
  const outcome = spec.code === 'reply' ? spec.outcome : spec.code === 'termination_notice' ? c.outcome : null;
  return {
    template,
    number: spec.number,
    date: spec.datedOn,
    addresseeName: toApplicant ? c.applicantName : (consultation?.name ?? ''),
    addresseeAddress: toApplicant ? c.applicantAddress : (consultation?.address ?? null),
    deliveryMethod: toApplicant ? c.delivery : consultation?.address ? 'post' : consultation?.email ? 'email' : null,
    agencyName: agency.name,
    reconsiderationBody: agency.reconsiderationBody,
    court: agency.court,
    contactLine: agency.phone ? `联系电话：${agency.phone}` : null,
    receiptDate: c.receiptDate,
    channel: c.channel,
    subject: c.description,
    trackingNumber: c.trackingNumber,
    queryCode: null,
    replyDueDate: c.dueDate ?? c.computedDue,
    outcome,
    reasons: details?.reasons ?? (spec.code === 'delay_notice' ? c.delayedReason : spec.code === 'third_party_disclosure' ? (c.outcomeDetails?.reasons ?? null) : null) ?? null,
    withheld: withheldItems(details),
    competentAgency: details?.competentAgency ? { name: details.competentAgency.name, contact: details.competentAgency.contact ?? null } : null,
    earlierReply: details?.earlierReply ? { documentNumber: details.earlierReply.documentNumber, date: details.earlierReply.date } : null,
    providedFiles: details?.providedFiles ?? null,
    correctionItems: c.correction?.items ?? null,
    correctionDueDate: periods.correctionPeriodEnds,
    extensionDays: c.extension?.days ?? null,
    newDueDate: c.extension?.status === 'approved' ? (c.dueDate ?? null) : null,
    consultedInformation: consultation ? c.description : null,
    answerDueDate: consultation ? (periods.consultationsRespondBy.find((k) => k.consultationId === consultation.id)?.date ?? null) : null,
    reasonsDueDate: c.reasonsRequest ? reasonsPeriodEnd(c.reasonsRequest, receivedOn(c.deliveries, 'reasons_request', noticeSentOn(c.reasonsRequest, c.reasonsRequest.requestedOn)), cal) : null,
    laterReplyDate: c.delayedUntil,
    feeAmount: c.fee?.amount ?? null,
    feeBasis: c.fee ? (c.fee.basis ?? (c.fee.tariff === 'per_page' ? `按页计收（${c.fee.pages ?? 0}页）` : `按件计收（本月第${c.fee.nth ?? 1}件）`)) : null,
    paymentMethod: c.fee ? DEFAULT_PAYMENT_METHOD : null,
    paymentDueDate: periods.feePaymentEnds,
  };
}

/**
 * A granted or partial reply lists the files provided with it (the case's `release` attachments, with their sizes);
 * without any, it says what it said before (the information is provided as the applicant asked).
 */
export function withProvidedFiles(facts: LetterFacts, files: readonly { fileName: string; size: number }[]): LetterFacts {
  if (!files.length || !providesFiles(facts.outcome)) return facts;
  return { ...facts, providedFiles: files.map(providedFileLine) };
}

/** How a missing variable is named to people (LETTER_DATA_MISSING). */
const FIELD_LABELS: Record<string, string> = {
  reconsiderationBody: '本机关的行政复议机关（机关设置）',
  court: '管辖法院（机关设置）',
  addresseeAddress: '受送达人的邮寄地址',
  addresseeName: '受送达人名称',
  agencyName: '机关名称',
  receiptDate: '收到申请之日',
  subject: '申请内容',
  withheld: '不予公开的内容及其理由',
  competentAgency: '负责公开该信息的机关',
  earlierReply: '此前答复的文号和日期',
  reasons: '理由',
  correctionItems: '需补正的事项',
  extensionDays: '延长的期限',
  newDueDate: '延长后的答复期限',
  laterReplyDate: '答复日期',
  feeAmount: '收费金额',
  feeBasis: '收费依据',
};

/**
 * A letter never goes out with a blank: the facts it will print are checked against its template's variables at the
 * step, and a missing one refuses the whole step (409 LETTER_DATA_MISSING, nothing written).
 */
export function assertLetterComplete(code: LetterCode, facts: LetterFacts): void {
  const missing = missingVariables(facts.template, facts);
  if (!missing.length) return;
  const names = missing.map((f) => FIELD_LABELS[f] ?? f);
  throw new DomainError('LETTER_DATA_MISSING', `${LETTERS[code].title}缺少必须载明的内容：${names.join('、')}`, { letter: code, template: facts.template, missing });
}
