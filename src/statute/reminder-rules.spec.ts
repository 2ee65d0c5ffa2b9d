import fc from 'fast-check';
import { formatDayNumber, parseIsoDate } from './iso-date';
import { WorkingCalendar } from './working-calendar';
import { DEFAULT_RULES, nineAm, planReminders, workingDaysBefore, type ReminderFacts } from './reminder-rules';

const cal = WorkingCalendar.official();

const facts = (over: Partial<ReminderFacts> = {}): ReminderFacts => ({
  caseId: 'c1',
  state: 'in_progress',
  dueDate: '2024-10-30',
  submittedOn: null,
  correctionRequestBy: null,
  correctionPeriodEnds: null,
  feePaymentEnds: null,
  consultationsRespondBy: [],
  extensionRequestedOn: null,
  replyDraftedAt: null,
  replyApprovals: 0,
  ...over,
});

const keys = (now: string, f: Partial<ReminderFacts> = {}) => planReminders(facts(f), DEFAULT_RULES, cal, new Date(now)).map((p) => p.key);

describe('reminder rules', () => {
  it('plans 5, 2 and 1 working days before, on the day, and the escalation, all at 09:00 Shanghai on working days', () => {
    const plan = planReminders(facts(), DEFAULT_RULES, cal, new Date('2024-10-01T00:00:00Z'));
    expect(plan.map((p) => [p.key, p.dueAt.toISOString(), p.audience])).toEqual([
      ['due:c1:2024-10-30:5', '2024-10-23T01:00:00.000Z', 'handlers'],
      ['due:c1:2024-10-30:2', '2024-10-28T01:00:00.000Z', 'handlers'],
      ['due:c1:2024-10-30:1', '2024-10-29T01:00:00.000Z', 'handlers'],
      ['due:c1:2024-10-30:0', '2024-10-30T01:00:00.000Z', 'handlers'],
      ['overdue:c1:2024-10-30', '2024-10-31T01:00:00.000Z', 'supervisors'],
    ]);
  });

  it('skips the National Day holidays and counts the adjusted working Saturday', () => {
    // due 2024-10-15: 14, 12 (a working Saturday), 11, 10, 9 → 5 working days before is 2024-10-09
    expect(workingDaysBefore(cal, '2024-10-15', 5)).toBe('2024-10-09');
    expect(workingDaysBefore(cal, '2024-10-08', 1)).toBe('2024-09-30');
  });

  it('sends only the latest of the reminders already past, at once', () => {
    const now = '2024-10-29T02:00:00Z'; // Tuesday 10:00, due Wednesday
    const plan = planReminders(facts(), DEFAULT_RULES, cal, new Date(now));
    expect(plan.map((p) => p.key)).toEqual(['due:c1:2024-10-30:0', 'due:c1:2024-10-30:1', 'overdue:c1:2024-10-30']);
    expect(plan.find((p) => p.key.endsWith(':1'))!.dueAt.toISOString()).toBe(new Date(now).toISOString());
  });

  it('escalates an overdue case at once and reminds it no more', () => {
    expect(keys('2024-11-20T02:00:00Z')).toEqual(['overdue:c1:2024-10-30']);
  });

  it('plans nothing for the deadline while paused or concluded', () => {
    expect(keys('2024-10-01T00:00:00Z', { dueDate: null, state: 'consulting', consultationsRespondBy: [{ consultationId: 'k', date: '2024-10-25' }] })).toEqual([
      'consultation:c1:k:2024-10-25',
    ]);
    expect(keys('2024-10-01T00:00:00Z', { dueDate: null, state: 'concluded' })).toEqual([]);
  });

  it('reminds an unconfirmed portal submission the next working day', () => {
    const plan = planReminders(facts({ state: 'submitted', dueDate: null, submittedOn: '2024-09-30' }), DEFAULT_RULES, cal, new Date('2024-09-30T05:00:00Z'));
    expect(plan.map((p) => [p.key, p.dueAt.toISOString()])).toEqual([['unconfirmed:c1', '2024-10-08T01:00:00.000Z']]);
  });

  it('after a forward (分办), reminds the agency it went to, the working day after the forward', () => {
    const plan = planReminders(
      facts({ state: 'submitted', dueDate: null, submittedOn: '2024-09-27', forwarded: { toAgencyId: 'a2', on: '2024-09-30' } }),
      DEFAULT_RULES,
      cal,
      new Date('2024-09-30T05:00:00Z'),
    );
    expect(plan.map((p) => [p.key, p.dueAt.toISOString(), p.data])).toEqual([
      ['unconfirmed:c1:a2', '2024-10-08T01:00:00.000Z', { submittedOn: '2024-09-27', forwardedOn: '2024-09-30' }],
    ]);
  });

  it('prompts the clerk the working day after a correction or fee period lapsed', () => {
    expect(planReminders(facts({ state: 'awaiting_correction', dueDate: null, correctionPeriodEnds: '2024-11-01' }), DEFAULT_RULES, cal, new Date('2024-10-20T00:00:00Z'))[0].dueAt.toISOString()).toBe(
      '2024-11-04T01:00:00.000Z',
    );
  });

  it('follows the agency’s rules', () => {
    const plan = planReminders(facts(), { beforeDue: [3], onDueDay: false, escalateOverdue: false, dailyDigest: false }, cal, new Date('2024-10-01T00:00:00Z'));
    expect(plan.map((p) => p.key)).toEqual(['due:c1:2024-10-30:3']);
  });

  it('laws: every future reminder is at 09:00 on a working day, none before now, keys unique', () => {
    const base = parseIsoDate('2019-03-01')!;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 23 }), (d, offset, hour) => {
        const due = cal.nextWorkingDayOnOrAfter(formatDayNumber(base + d)).date;
        const now = new Date(nineAm(formatDayNumber(parseIsoDate(due)! + offset)).getTime() + (hour - 9) * 3600_000);
        const plan = planReminders(facts({ dueDate: due }), DEFAULT_RULES, cal, now);
        expect(new Set(plan.map((p) => p.key)).size).toBe(plan.length);
        for (const p of plan) {
          expect(p.dueAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
          if (p.dueAt.getTime() > now.getTime()) {
            expect(p.dueAt.getUTCHours()).toBe(1);
            expect(cal.isWorkingDay(p.dueAt.toISOString().slice(0, 10))).toBe(true);
          }
        }
        // at most one reminder of the before-due series is due at once
        expect(plan.filter((p) => p.kind === 'deadline_reminder' && p.dueAt.getTime() === now.getTime()).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
