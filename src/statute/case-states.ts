/**
 * Case states (案件状态) and user roles (角色), as in the API contract.
 * Pure data: no framework, no I/O.
 */

export const CASE_STATES = [
  'submitted',
  'in_progress',
  'awaiting_correction',
  'consulting',
  'awaiting_fee',
  'reply_review',
  'reply_approved',
  'concluded',
  'discarded',
] as const;

export type CaseState = (typeof CASE_STATES)[number];

/** Chinese labels shown to people (状态名称). */
export const CASE_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  submitted: '待确认',
  in_progress: '办理中',
  awaiting_correction: '待补正',
  consulting: '征求意见中',
  awaiting_fee: '待缴费',
  reply_review: '答复审核中',
  reply_approved: '答复已签批',
  concluded: '已办结',
  discarded: '已作废',
};

/** States in which the case is still being handled (未办结). `discarded` is no case at all. */
export const OPEN_STATES = [
  'submitted',
  'in_progress',
  'awaiting_correction',
  'consulting',
  'awaiting_fee',
  'reply_review',
  'reply_approved',
] as const satisfies readonly CaseState[];

export type OpenState = (typeof OPEN_STATES)[number];

/** Final states: nothing moves a case out of them (`reopen` creates a new case). */
export const FINAL_STATES = ['concluded', 'discarded'] as const satisfies readonly CaseState[];

/**
 * The reply clock (答复期限) in each state:
 * - `running`: the 20 working days (Art 33) are being used;
 * - `paused`: a consultation (Arts 32–34) or a fee notice (办法) stops the clock;
 * - `none`: no clock (not yet received, Art 31; waiting for a correction, Art 30, which restarts it; closed).
 */
export type ClockStatus = 'running' | 'paused' | 'none';

export const CLOCK_BY_STATE: Readonly<Record<CaseState, ClockStatus>> = {
  submitted: 'none',
  in_progress: 'running',
  awaiting_correction: 'none',
  consulting: 'paused',
  awaiting_fee: 'paused',
  reply_review: 'running',
  reply_approved: 'running',
  concluded: 'none',
  discarded: 'none',
};

export function isCaseState(s: unknown): s is CaseState {
  return typeof s === 'string' && (CASE_STATES as readonly string[]).includes(s);
}

export function isOpen(state: CaseState): state is OpenState {
  return (OPEN_STATES as readonly CaseState[]).includes(state);
}

export function clockOf(state: CaseState): ClockStatus {
  return CLOCK_BY_STATE[state];
}

/** True in `consulting` and `awaiting_fee` (the contract's `deadline.paused`). */
export function isPaused(state: CaseState): boolean {
  return CLOCK_BY_STATE[state] === 'paused';
}

// ---------------------------------------------------------------------------

import { ROLES, type Role } from './roles';
export { ROLES, type Role };

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  clerk: '经办人',
  supervisor: '负责人',
  admin: '系统管理员',
  auditor: '审计人员',
};

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}
