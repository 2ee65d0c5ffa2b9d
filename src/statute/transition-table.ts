/**
 * The case state machine as data (状态流转表): exactly the action table of the API contract.
 *
 * Only role and state are decided here. Statutory guards that need dates or case data
 * (once-only correction within 7 working days, one extension, not after the deadline,
 * lapse periods, `reopen` needing a `corrected` review, …) are each action's decision (`decisions/`), which takes
 * its next state from `decide` with the real context.
 */
import { CASE_STATES, CaseState, OPEN_STATES, Role } from './case-states';

export const CASE_ACTIONS = [
  'confirm-receipt',
  'discard',
  'assign',
  'request-correction',
  'record-correction',
  'consult',
  'end-consultation',
  'request-extension',
  'approve-extension',
  'set-delayed-reply',
  'notify-fee',
  'record-payment',
  'draft-reply',
  'approve-reply',
  'return-reply',
  'issue-reply',
  'record-delivery',
  'conclude-lapsed',
  'withdraw',
  'record-review',
  'reopen',
  'forward',
  'request-reasons',
  'record-reasons',
  'reset-query-code',
] as const;

export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Facts a dynamic target needs. Defaults model the common case (one consultation, one sign-off step). */
export interface TransitionContext {
  /** Consultations still open after this `end-consultation` closes one (default 0). */
  readonly openConsultationsAfter?: number;
  /** Whether this `approve-reply` is the agency's last sign-off step (default true). */
  readonly isLastSignOffStep?: boolean;
}

export type TransitionTarget = CaseState | 'same' | ((ctx: TransitionContext) => CaseState);

export interface TransitionRule {
  readonly action: CaseAction;
  readonly from: readonly CaseState[];
  readonly to: TransitionTarget;
  readonly roles: readonly Role[];
  /** Chinese label for people (操作名称). */
  readonly label: string;
}

const CLERK_AND_SUPERVISOR = ['clerk', 'supervisor'] as const satisfies readonly Role[];
const SUPERVISOR_ONLY = ['supervisor'] as const satisfies readonly Role[];

/** Open states once the case has a receipt date (everything open but `submitted`). */
const RECEIVED_OPEN_STATES = OPEN_STATES.filter((s) => s !== 'submitted');

export const TRANSITIONS: readonly TransitionRule[] = [
  // Art 31: a portal submission becomes a case when the clerk confirms receipt.
  { action: 'confirm-receipt', from: ['submitted'], to: 'in_progress', roles: CLERK_AND_SUPERVISOR, label: '确认收到申请' },
  { action: 'discard', from: ['submitted'], to: 'discarded', roles: CLERK_AND_SUPERVISOR, label: '作废提交' },
  { action: 'assign', from: OPEN_STATES, to: 'same', roles: SUPERVISOR_ONLY, label: '指定承办人' },
  // Art 30: correction, once, within 7 working days; the clock restarts from the corrected application.
  { action: 'request-correction', from: ['in_progress'], to: 'awaiting_correction', roles: CLERK_AND_SUPERVISOR, label: '告知补正' },
  { action: 'record-correction', from: ['awaiting_correction'], to: 'in_progress', roles: CLERK_AND_SUPERVISOR, label: '登记补正' },
  // Arts 32, 33 ¶3, 34: consultations pause the clock while at least one is open.
  { action: 'consult', from: ['in_progress', 'consulting'], to: 'consulting', roles: CLERK_AND_SUPERVISOR, label: '征求意见' },
  {
    action: 'end-consultation',
    from: ['consulting'],
    to: (ctx) => ((ctx.openConsultationsAfter ?? 0) > 0 ? 'consulting' : 'in_progress'),
    roles: CLERK_AND_SUPERVISOR,
    label: '结束征求意见',
  },
  // Art 33 ¶2: extension approved by the head of the disclosure office.
  { action: 'request-extension', from: ['in_progress', 'reply_review', 'reply_approved'], to: 'same', roles: CLERK_AND_SUPERVISOR, label: '申请延期答复' },
  { action: 'approve-extension', from: ['in_progress', 'reply_review', 'reply_approved'], to: 'same', roles: SUPERVISOR_ONLY, label: '批准延期答复' },
  // Art 35: a reasonable later reply date.
  { action: 'set-delayed-reply', from: ['in_progress'], to: 'same', roles: SUPERVISOR_ONLY, label: '确定延迟答复期限' },
  // Art 42 and 办法: fee notice pauses the clock until payment.
  { action: 'notify-fee', from: ['in_progress'], to: 'awaiting_fee', roles: CLERK_AND_SUPERVISOR, label: '发出收费通知' },
  { action: 'record-payment', from: ['awaiting_fee'], to: 'in_progress', roles: CLERK_AND_SUPERVISOR, label: '登记缴费' },
  // Arts 36–39: the reply, drafted, signed off, issued.
  { action: 'draft-reply', from: ['in_progress', 'reply_review'], to: 'reply_review', roles: CLERK_AND_SUPERVISOR, label: '拟写答复' },
  {
    action: 'approve-reply',
    from: ['reply_review'],
    to: (ctx) => ((ctx.isLastSignOffStep ?? true) ? 'reply_approved' : 'reply_review'),
    roles: SUPERVISOR_ONLY,
    label: '签批答复',
  },
  { action: 'return-reply', from: ['reply_review', 'reply_approved'], to: 'in_progress', roles: SUPERVISOR_ONLY, label: '退回答复' },
  { action: 'issue-reply', from: ['reply_approved'], to: 'concluded', roles: CLERK_AND_SUPERVISOR, label: '出具答复' },
  // 送达: any letter of a received case, including the reply after conclusion.
  {
    action: 'record-delivery',
    from: CASE_STATES.filter((s) => s !== 'submitted' && s !== 'discarded'),
    to: 'same',
    roles: CLERK_AND_SUPERVISOR,
    label: '登记送达',
  },
  // Art 30 / 办法: deemed abandoned (视为放弃申请).
  { action: 'conclude-lapsed', from: ['awaiting_correction', 'awaiting_fee'], to: 'concluded', roles: CLERK_AND_SUPERVISOR, label: '逾期办结' },
  { action: 'withdraw', from: RECEIVED_OPEN_STATES, to: 'concluded', roles: CLERK_AND_SUPERVISOR, label: '登记撤回申请' },
  // Art 51: reconsideration or litigation, also against a failure to reply (an online submission never confirmed included).
  { action: 'record-review', from: [...OPEN_STATES, 'concluded'], to: 'same', roles: CLERK_AND_SUPERVISOR, label: '登记复议诉讼' },
  // Statute §7: a `corrected` result opens a new linked case; this one stays concluded.
  { action: 'reopen', from: ['concluded'], to: 'same', roles: SUPERVISOR_ONLY, label: '重新办理' },
  // 分办: a portal submission moves, unconfirmed, to the agency holding the information (once; the service checks)
  { action: 'forward', from: ['submitted'], to: 'same', roles: CLERK_AND_SUPERVISOR, label: '转送其他机关办理' },
  // Art 35: the applicant asked to explain the number or frequency of applications; the reply clock keeps running
  { action: 'request-reasons', from: ['in_progress'], to: 'same', roles: CLERK_AND_SUPERVISOR, label: '要求说明理由' },
  { action: 'record-reasons', from: ['in_progress'], to: 'same', roles: CLERK_AND_SUPERVISOR, label: '登记说明理由及认定' },
  // The applicant lost the query code: a new one, on a new receipt; the old one stops working.
  { action: 'reset-query-code', from: CASE_STATES.filter((s) => s !== 'discarded'), to: 'same', roles: SUPERVISOR_ONLY, label: '重置查询码' },
];

const RULES_BY_ACTION: ReadonlyMap<CaseAction, TransitionRule> = new Map(TRANSITIONS.map((r) => [r.action, r]));

export type TransitionDecision =
  | { readonly ok: true; readonly to: CaseState }
  | { readonly ok: false; readonly code: 'FORBIDDEN' | 'TRANSITION_NOT_ALLOWED' };

export function isCaseAction(s: unknown): s is CaseAction {
  return typeof s === 'string' && (CASE_ACTIONS as readonly string[]).includes(s);
}

export function ruleFor(action: CaseAction): TransitionRule {
  const rule = RULES_BY_ACTION.get(action);
  if (!rule) throw new RangeError(`unknown case action: ${String(action)}`);
  return rule;
}

/**
 * May `role` perform `action` on a case in `state`, and where does it lead?
 * The role is checked first (FORBIDDEN, 403), then the state (TRANSITION_NOT_ALLOWED, 409).
 */
export function decide(
  action: CaseAction,
  state: CaseState,
  role: Role,
  ctx: TransitionContext = {},
): TransitionDecision {
  const rule = ruleFor(action);
  if (!rule.roles.includes(role)) return { ok: false, code: 'FORBIDDEN' };
  if (!rule.from.includes(state)) return { ok: false, code: 'TRANSITION_NOT_ALLOWED' };
  const to = rule.to === 'same' ? state : typeof rule.to === 'function' ? rule.to(ctx) : rule.to;
  return { ok: true, to };
}

/** Actions `role` may take on a case in `state`, in `CASE_ACTIONS` order (for the UI); worked out once per pair. */
export function actionsAvailable(state: CaseState, role: Role): readonly CaseAction[] {
  const key = `${state} ${role}`;
  let found = AVAILABLE.get(key);
  if (!found) AVAILABLE.set(key, (found = Object.freeze(CASE_ACTIONS.filter((action) => decide(action, state, role).ok))));
  return found;
}
const AVAILABLE = new Map<string, readonly CaseAction[]>();
