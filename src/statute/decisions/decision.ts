/**
 * What every action's decision shares: the case facts it reads, the step it returns (next state from the transition
 * table, field changes, history payload) or the problem it answers (a stable error code), and the date rules of a
 * step's day. Pure: no I/O, no clock of its own (today and the calendar are given).
 */
import type { Art35Flag, ReasonsRequest } from '../art35';
import type { Consultation, Correction, Delivery, Extension, FeeNotice, ReplyDraft } from '../case-record';
import type { CaseState } from '../case-states';
import type { ForwardRecord } from '../forwarding';
import { lettersForStep, type LetterFacts, type LetterOp } from '../letters-for-step';
import type { OutcomeCode, OutcomeDetails } from '../outcomes';
import type { Role } from '../roles';
import { decide, type CaseAction, type TransitionContext } from '../transition-table';
import type { WorkingCalendar } from '../working-calendar';

/** The case as a decision sees it (the case entity has these fields). */
export interface CaseFacts {
  readonly id: string;
  readonly agencyId: string;
  readonly state: CaseState;
  readonly receiptDate: string | null;
  readonly applicantIdHash: string;
  readonly assigneeId: string | null;
  readonly correction: Correction | null;
  readonly consultations: readonly Consultation[];
  readonly extension: Extension | null;
  readonly delayedUntil: string | null;
  readonly fee: FeeNotice | null;
  readonly replyDraft: ReplyDraft | null;
  readonly deliveries: readonly Delivery[];
  readonly lastStepOn: string | null;
  readonly outcome: OutcomeCode | null;
  readonly concludedOn: string | null;
  readonly forwarded: ForwardRecord | null;
  readonly reasonsRequest: ReasonsRequest | null;
  readonly art35Flag: Art35Flag | null;
}

/** The fields a step may change (the state is the step's `to`). */
export interface CasePatch {
  agencyId?: string;
  receiptDate?: string;
  assigneeId?: string | null;
  queryCodeHash?: string;
  correction?: Correction;
  consultations?: Consultation[];
  extension?: Extension;
  delayedUntil?: string | null;
  delayedReason?: string | null;
  fee?: FeeNotice;
  replyDraft?: ReplyDraft | null;
  deliveries?: Delivery[];
  lastStepOn?: string | null;
  outcome?: OutcomeCode;
  outcomeDetails?: OutcomeDetails;
  concludedOn?: string;
  discardReason?: string;
  forwarded?: ForwardRecord;
  reasonsRequest?: ReasonsRequest;
  art35Flag?: Art35Flag | null;
}

/** What every decision is given. */
export interface DecisionInput<B> {
  readonly c: CaseFacts;
  /** the request body (validated for shape by its DTO) */
  readonly body: B;
  /** today, Asia/Shanghai */
  readonly today: string;
  /** now, ISO 8601, for the record's timestamps */
  readonly now: string;
  readonly cal: WorkingCalendar;
  /** who acts (the applicant acts through the portal as a clerk would) */
  readonly role: Role;
  /** the acting user; null for the applicant */
  readonly actorId: string | null;
}

/** One step of the case: written by the runner with compare-and-set, one history row, the events. */
export interface Step {
  readonly action: CaseAction;
  /** the state after, as `decide(action, state, role, context)` gives it */
  readonly to: CaseState;
  readonly patch: CasePatch;
  /** the day the thing happened, for the history (and the letters' date) */
  readonly on: string | null;
  readonly payload: Record<string, unknown>;
  /** the letters the step writes (notices issued with it, the reply's own life), for the letters module */
  readonly letters: readonly LetterOp[];
}

/** The error codes a decision answers (each in the service's one error-code table). */
export const PROBLEM_CODES = [
  'FORBIDDEN',
  'TRANSITION_NOT_ALLOWED',
  'VALIDATION_FAILED',
  'CORRECTION_ALREADY_REQUESTED',
  'CORRECTION_WINDOW_CLOSED',
  'EXTENSION_ALREADY_USED',
  'EXTENSION_TOO_LATE',
  'EXTENSION_NOT_REQUESTED',
  'DEADLINE_PASSED',
  'PERIOD_NOT_LAPSED',
  'CONSULTATION_NOT_OPEN',
  'FORWARD_ALREADY_USED',
  'REASONS_NOT_ESTABLISHED',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** A refusal: its code, and a Chinese message (absent: the code's own); `fields` for VALIDATION_FAILED. */
export interface Problem {
  readonly code: ProblemCode;
  readonly message?: string;
  readonly details?: Record<string, unknown>;
  readonly fields?: readonly FieldProblem[];
}

export type Decision<S extends Step = Step> = { readonly ok: true; readonly step: S } | { readonly ok: false; readonly problem: Problem };

/** Thrown inside a decision only, and turned into its answer by `decision()`. */
class Refusal extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message ?? problem.code);
  }
}

export function refuse(code: ProblemCode, message?: string, details?: Record<string, unknown>): never {
  throw new Refusal({ code, ...(message !== undefined ? { message } : {}), ...(details ? { details } : {}) });
}

/** A bad value of one request field (400 VALIDATION_FAILED naming it). */
export function refuseField(field: string, message: string): never {
  refuseFields([{ field, message }]);
}

export function refuseFields(fields: readonly FieldProblem[]): never {
  throw new Refusal({ code: 'VALIDATION_FAILED', message: fields[0].message, fields });
}

/** What the letters of a step are worked out from, read off a case. */
export function letterFactsOf(c: Pick<CaseFacts, 'state' | 'receiptDate' | 'outcome' | 'consultations' | 'replyDraft'>): LetterFacts {
  return { state: c.state, receiptDate: c.receiptDate, outcome: c.outcome, consultations: c.consultations, grounds: c.replyDraft?.details.grounds ?? [] };
}

/**
 * Runs a decision's body: its refusals become the answer (anything else is a defect and is thrown on); a step gets
 * the letters it writes (`letters-for-step.ts`), from the case before and after it.
 */
export function decision<S extends Step>(input: DecisionInput<unknown>, body: () => Omit<S, 'letters'>): Decision<S> {
  try {
    const step = body();
    const after = { ...input.c, ...step.patch, state: step.to };
    const letters = lettersForStep({ action: step.action, on: step.on, payload: step.payload, actorId: input.actorId, before: letterFactsOf(input.c), after: letterFactsOf(after) });
    return { ok: true, step: { ...step, letters } as unknown as S };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: e.problem };
    throw e;
  }
}

/**
 * The transition table's verdict with the real context: the role (403 FORBIDDEN), the state (409
 * TRANSITION_NOT_ALLOWED), and the next state, dynamic targets included.
 */
export function transition(action: CaseAction, input: DecisionInput<unknown>, ctx: TransitionContext = {}): CaseState {
  const d = decide(action, input.c.state, input.role, ctx);
  if (d.ok) return d.to;
  if (d.code === 'FORBIDDEN') refuse('FORBIDDEN', '当前角色不能执行此操作');
  return refuse('TRANSITION_NOT_ALLOWED', `案件处于“${input.c.state}”状态，不能执行 ${action}`, { state: input.c.state, action });
}

/** A lower bound of a step's day, named for the message. */
export interface DayBound {
  readonly date: string | null;
  readonly what: string;
}

/** The usual bounds: the receipt and the previous step of the clock. */
export function usualBounds(c: CaseFacts): DayBound[] {
  return [
    { date: c.receiptDate, what: '收到申请之日' },
    { date: c.lastStepOn, what: '上一办理步骤的日期' },
  ];
}

/**
 * A step's day (`on`, default today): not in the future, not before its bounds (the receipt date and the previous
 * step, unless others are given); non-working days allowed.
 */
export function stepDay(input: DecisionInput<unknown>, on: string | undefined, opts: { field?: string; notBefore?: readonly DayBound[] } = {}): string {
  const field = opts.field ?? 'on';
  const d = on ?? input.today;
  if (d > input.today) refuseField(field, '日期不能晚于今天');
  for (const b of opts.notBefore ?? usualBounds(input.c)) {
    if (b.date && d < b.date) refuseField(field, `日期不能早于${b.what}（${b.date}）`);
  }
  return d;
}

/** A text or a list of texts, as a list. */
export function listOf(items: string | readonly string[]): string[] {
  return typeof items === 'string' ? [items] : [...items];
}

/** A step recorded more than one working day after it happened (the history marks it). */
export function recordedLate(on: string, today: string, cal: WorkingCalendar): boolean {
  return cal.countWorkingDays(on, today).workingDays > 1;
}
