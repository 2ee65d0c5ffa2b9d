import {
  CASE_STATES,
  CASE_STATE_LABELS,
  CLOCK_BY_STATE,
  FINAL_STATES,
  OPEN_STATES,
  ROLES,
  ROLE_LABELS,
  clockOf,
  isCaseState,
  isOpen,
  isPaused,
  isRole,
} from './case-states';

describe('case states', () => {
  it('lists the nine states of the contract with their Chinese labels', () => {
    expect(CASE_STATE_LABELS).toEqual({
      submitted: '待确认',
      in_progress: '办理中',
      awaiting_correction: '待补正',
      consulting: '征求意见中',
      awaiting_fee: '待缴费',
      reply_review: '答复审核中',
      reply_approved: '答复已签批',
      concluded: '已办结',
      discarded: '已作废',
    });
    expect(Object.keys(CASE_STATE_LABELS)).toEqual([...CASE_STATES]);
  });

  it('splits states into open and final', () => {
    expect([...OPEN_STATES, ...FINAL_STATES].sort()).toEqual([...CASE_STATES].sort());
    for (const s of CASE_STATES) expect(isOpen(s)).toBe(s !== 'concluded' && s !== 'discarded');
  });

  it('has the clock of the contract table', () => {
    expect(CLOCK_BY_STATE).toEqual({
      submitted: 'none',
      in_progress: 'running',
      awaiting_correction: 'none',
      consulting: 'paused',
      awaiting_fee: 'paused',
      reply_review: 'running',
      reply_approved: 'running',
      concluded: 'none',
      discarded: 'none',
    });
    for (const s of CASE_STATES) {
      expect(clockOf(s)).toBe(CLOCK_BY_STATE[s]);
      expect(isPaused(s)).toBe(s === 'consulting' || s === 'awaiting_fee');
    }
  });

  it('recognises states and roles', () => {
    expect(isCaseState('in_progress')).toBe(true);
    expect(isCaseState('open')).toBe(false);
    expect(isCaseState(3)).toBe(false);
    expect(ROLES).toEqual(['clerk', 'supervisor', 'admin', 'auditor']);
    for (const r of ROLES) {
      expect(isRole(r)).toBe(true);
      expect(ROLE_LABELS[r]).toBeTruthy();
    }
    expect(isRole('applicant')).toBe(false);
  });
});
