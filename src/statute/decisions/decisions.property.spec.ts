import fc from 'fast-check';
import { caseClock } from '../case-clock-facts';
import { formatDayNumber, parseIsoDate } from '../iso-date';
import { REPLY_PERIOD_DAYS } from '../reply-clock';
import { ROLES, type Role } from '../roles';
import { actionsAvailable, CASE_ACTIONS, decide, type CaseAction, type TransitionContext } from '../transition-table';
import { WorkingCalendar } from '../working-calendar';
import * as D from '.';
import { receivedCase } from './case-fixture';
import type { CaseFacts, Decision, DecisionInput, ReviewRecord, Step } from '.';

const cal = WorkingCalendar.official();
const day = (s: string): number => parseIsoDate(s)!;
const iso = formatDayNumber;

interface Command {
  action: CaseAction;
  role: Role;
  /** calendar days today moves on before the command */
  advance: number;
  /** the step's `on`: this many calendar days before today (0: the default, today) */
  back: number;
  variant: number;
  /** most commands pick among the actions the table offers the role in the case's state */
  offered: boolean;
}

const command: fc.Arbitrary<Command> = fc.record({
  action: fc.constantFrom(...CASE_ACTIONS),
  // staff roles mostly: admin and auditor may take no action at all
  role: fc.constantFrom<Role>('clerk', 'supervisor', 'clerk', 'supervisor', ...ROLES),
  advance: fc.integer({ min: 0, max: 8 }),
  back: fc.integer({ min: 0, max: 4 }),
  variant: fc.nat({ max: 1000 }),
  offered: fc.integer({ min: 0, max: 4 }).map((k) => k > 0),
});

interface World {
  c: CaseFacts;
  reviews: ReviewRecord[];
  reopened: boolean;
}

/** One command's decision, with bodies and looked-up facts as a runner would give them. */
function decideCommand(w: World, cmd: Command, today: string, n: number): Decision<Step> {
  const { c } = w;
  const on = cmd.back === 0 ? undefined : iso(day(today) - cmd.back);
  const v = cmd.variant;
  const base: Omit<DecisionInput<never>, 'body'> = { c, today, now: `${today}T03:00:00.000Z`, cal, role: cmd.role, actorId: 'u1' };
  switch (cmd.action) {
    case 'confirm-receipt':
      return D.decideConfirmReceipt({ ...base, body: { on }, submittedOn: '2024-01-02', art35Counts: { month: 1 + (v % 12), window: 1 }, art35Thresholds: { perMonth: 10, windowDays: 7, perWindow: 5 } });
    case 'discard':
      return D.decideDiscard({ ...base, body: { reason: 'r' } });
    case 'forward':
      return D.decideForwardCase({ ...base, body: { agencyId: v % 2 ? 'a2' : c.agencyId, reason: 'r' }, target: { id: 'a2', name: '乙' }, fromName: '甲' });
    case 'assign':
      return D.decideAssign({ ...base, body: { assigneeId: 'u2' }, assignee: { id: 'u2', active: v % 5 !== 0, agencyId: c.agencyId, role: 'clerk' } });
    case 'request-correction':
      return D.decideRequestCorrection({ ...base, body: { on, items: 'x', ...(v % 3 ? {} : { periodDays: 1 + (v % 60) }) }, agencyPeriodDays: v % 2 ? null : 10 });
    case 'record-correction':
      return D.decideRecordCorrection({ ...base, body: { on, content: 'x' } });
    case 'consult':
      return D.decideConsult({ ...base, body: { on, party: v % 2 ? 'third_party' : 'other_agency', name: 'p' }, consultationId: `k${n}` });
    case 'end-consultation':
      return D.decideEndConsultation({ ...base, body: { on, opinion: v % 3 === 0 ? 'objection' : 'consent', ...(v % 4 === 0 ? { consultationId: c.consultations.find((k) => !k.closedOn)?.id ?? 'kx' } : {}) } });
    case 'request-extension':
      return D.decideRequestExtension({ ...base, body: { on, days: 1 + (v % 22), reason: 'r' } });
    case 'approve-extension':
      return D.decideApproveExtension({ ...base, body: { on } });
    case 'set-delayed-reply':
      return D.decideSetDelayedReply({ ...base, body: { on, until: iso(day(today) + (v % 90)), reason: 'r' } });
    case 'notify-fee':
      return D.decideNotifyFee({ ...base, body: v % 2 ? { on, tariff: 'per_item' } : { on, tariff: 'per_page', pages: v % 300 }, monthPosition: 1 + (v % 15) });
    case 'record-payment':
      return D.decideRecordPayment({ ...base, body: { on, receiptNumber: 'R', amount: v % 7 === 0 ? 1 : (c.fee?.amount ?? 0) } });
    case 'draft-reply':
      return D.decideDraftReply({ ...base, body: { outcome: ['granted', 'rejected.vexatious', 'unavailable.not_held', 'nonexistent'][v % 4] }, earlierCase: null });
    case 'approve-reply':
      return D.decideApproveReply({ ...base, body: { confidentialityReviewed: v % 4 !== 0 }, approvalSteps: 1 + (v % 2) });
    case 'return-reply':
      return D.decideReturnReply({ ...base, body: { reason: 'r' } });
    case 'issue-reply':
      return D.decideIssueReply({ ...base, body: { on } });
    case 'record-delivery':
      return D.decideRecordDelivery({ ...base, body: { on, of: 'reply', method: 'post' }, letter: null, firstSentOn: v % 5 === 0 ? null : (c.lastStepOn ?? c.receiptDate) });
    case 'conclude-lapsed':
      return D.decideConcludeLapsed({ ...base, body: { on, reason: v % 2 ? 'correction' : 'fee' } });
    case 'withdraw':
      return D.decideWithdraw({ ...base, body: { on, reason: 'r' } });
    case 'record-review':
      return D.decideRecordReview({
        ...base,
        body: { kind: 'reconsideration', filedOn: on ?? today, ...(v % 2 ? { result: 'corrected', concludedOn: on ?? today, decisionReceivedOn: today } : {}) },
        reviewId: `r${n}`,
        submittedOn: '2024-01-02',
      });
    case 'request-reasons':
      return D.decideRequestReasons({ ...base, body: { on, items: 'x' } });
    case 'record-reasons':
      return D.decideRecordReasons({ ...base, body: { on, content: 'x', reasonable: v % 2 === 0 } });
    case 'reopen':
      return D.decideReopen({ ...base, body: { on }, reviews: w.reviews, reopenedAlready: w.reopened });
    case 'reset-query-code':
      return D.decideResetQueryCode({ ...base, body: {}, queryCodeHash: `h${n}` });
  }
}

/** The facts the table's dynamic targets take, read off the step. */
function contextOf(step: Step): TransitionContext {
  if (step.action === 'end-consultation') return { openConsultationsAfter: (step.patch.consultations ?? []).filter((k) => !k.closedOn).length };
  if (step.action === 'approve-reply') return { isLastSignOffStep: Number(step.payload.step) >= Number(step.payload.of) };
  return {};
}

const start = (submitted: boolean, receipt: string): World => ({ c: receivedCase(submitted ? null : receipt), reviews: [], reopened: false });

/** Runs a case through the commands as the runner would, checking each decision against the table and the clock. */
function runCase(submitted: boolean, receiptN: number, commands: Command[], check: (before: World, cmd: Command, today: string, d: Decision<Step>) => void): void {
  let w = start(submitted, iso(receiptN));
  let todayN = receiptN;
  commands.forEach((given, n) => {
    todayN += given.advance;
    // the actions that end a case early (discard, withdraw) are taken seldom, so that cases live on
    const offered = actionsAvailable(w.c.state, given.role).filter((a) => given.variant % 6 === 0 || (a !== 'discard' && a !== 'withdraw'));
    const cmd = given.offered && offered.length ? { ...given, action: offered[Math.floor(given.variant / 7) % offered.length] } : given;
    const today = iso(todayN);
    const d = decideCommand(w, cmd, today, n);
    check(w, cmd, today, d);
    if (!d.ok) return;
    const s = d.step as Step & Partial<D.ReviewStep>;
    w = {
      c: { ...w.c, ...s.patch, state: s.to },
      reviews: s.review ? [...w.reviews, s.review] : w.reviews,
      reopened: w.reopened || s.action === 'reopen',
    };
  });
}

const cases = fc.tuple(fc.boolean(), fc.integer({ min: day('2024-01-02'), max: day('2025-09-30') }), fc.array(command, { minLength: 15, maxLength: 40 }));

describe('every decision against the transition table (fast-check, fixed seed)', () => {
  it('answers what the table answers for role and state, and its next state is always decide(…)’s with the real context', () => {
    const stepped = new Set<CaseAction>();
    let steps = 0;
    fc.assert(
      fc.property(cases, ([submitted, receipt, commands]) => {
        runCase(submitted, receipt, commands, (w, cmd, _today, d) => {
          const table = decide(cmd.action, w.c.state, cmd.role);
          if (!table.ok) {
            expect(d.ok).toBe(false);
            if (!d.ok) expect(d.problem.code).toBe(table.code);
            return;
          }
          if (!d.ok) return;
          steps++;
          stepped.add(cmd.action);
          const withContext = decide(cmd.action, w.c.state, cmd.role, contextOf(d.step));
          expect(withContext.ok && withContext.to).toBe(d.step.to);
          expect(d.step.action).toBe(cmd.action);
        });
      }),
      { seed: 20261204, numRuns: 400 },
    );
    // the commands reach steps, not only refusals
    expect(steps).toBeGreaterThan(800);
    expect([...stepped].sort()).toEqual([...CASE_ACTIONS].sort());
  });
});

describe('the deadline (fast-check, fixed seed)', () => {
  it('is never earlier than the statute allows: 20 working days from the clock’s start, paused days and an extension added', () => {
    fc.assert(
      fc.property(cases, ([submitted, receipt, commands]) => {
        runCase(submitted, receipt, commands, (_w, _cmd, today, d) => {
          if (!d.ok) return;
          const after = { ..._w.c, ...d.step.patch, state: d.step.to };
          const clock = caseClock(after, cal, today);
          const due = clock.computedDue ?? clock.dueIfResumedToday;
          if (clock.start === null || due === null) return;
          const minimum = cal.addWorkingDays(clock.start, REPLY_PERIOD_DAYS).date;
          expect(due >= minimum).toBe(true);
          // with no Art 35 date the deadline is exactly the period, the paused days and the approved extension
          if (!after.delayedUntil && clock.computedDue) {
            const extension = after.extension?.status === 'approved' ? after.extension.days : 0;
            expect(clock.computedDue).toBe(cal.addWorkingDays(clock.start, REPLY_PERIOD_DAYS + extension + clock.pausedDays).date);
          }
        });
      }),
      { seed: 20261205, numRuns: 300 },
    );
  });

  it('never moves earlier by a step, except a corrected application restarting the clock (Art 30)', () => {
    fc.assert(
      fc.property(cases, ([submitted, receipt, commands]) => {
        runCase(submitted, receipt, commands, (w, cmd, today, d) => {
          if (!d.ok || cmd.action === 'record-correction') return;
          const before = caseClock(w.c, cal, today).computedDue;
          const after = caseClock({ ...w.c, ...d.step.patch, state: d.step.to }, cal, today).computedDue;
          if (before !== null && after !== null) expect(after >= before).toBe(true);
        });
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
