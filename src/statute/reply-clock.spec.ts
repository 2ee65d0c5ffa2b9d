import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatDayNumber, parseIsoDate } from './iso-date';
import {
  applicantPeriodEnd,
  computeReplyClock,
  CORRECTION_PERIOD_DAYS,
  correctionRequestDeadline,
  extensionApprovable,
  FEE_PAYMENT_DAYS,
  periodLapsed,
  withinDeadline,
  type ClockFacts,
  type ClockPause,
  type PauseKind,
} from './reply-clock';
import { WorkingCalendar } from './working-calendar';

type ClockEvent =
  | { type: 'pause'; reason: PauseKind; on: string }
  | { type: 'resume'; on: string }
  | { type: 'extend'; days: number }
  | { type: 'correction_received'; on: string };
interface ClockCase {
  receipt: string;
  events: ClockEvent[];
  due: string;
}
const cases = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/deadline-cases.json'), 'utf8')) as {
  clock: ClockCase[];
};

const cal = WorkingCalendar.official();
const d = (s: string): number => parseIsoDate(s)!;
const iso = formatDayNumber;

/** The fixture's event list as clock facts. */
function factsFromEvents(receipt: string, events: ClockEvent[]): ClockFacts {
  const pauses: ClockPause[] = [];
  const facts: ClockFacts = { receiptDate: receipt, pauses, extensionDays: 0, correctionReceivedOn: null };
  for (const e of events) {
    switch (e.type) {
      case 'pause':
        pauses.push({ kind: e.reason, from: e.on, to: null });
        break;
      case 'resume': {
        const open = pauses.filter((p) => p.to === null);
        open[open.length - 1].to = e.on;
        break;
      }
      case 'extend':
        facts.extensionDays = (facts.extensionDays ?? 0) + e.days;
        break;
      case 'correction_received':
        facts.correctionReceivedOn = e.on;
        break;
    }
  }
  return facts;
}

describe('computeReplyClock: worked examples (test/fixtures/deadline-cases.json)', () => {
  it.each(cases.clock.map((c) => [c.receipt, c.events.length, c] as const))(
    'receipt %s with %d events',
    (_r, _n, c) => {
      const state = computeReplyClock(factsFromEvents(c.receipt, c.events), cal, c.due);
      expect(state.due).toBe(c.due);
      expect(state.computedDue).toBe(c.due);
      expect(state.paused).toBe(false);
      expect(state.workingDaysLeft).toBe(0);
      expect(state.overdue).toBe(false);
      expect(state.provisional).toBe(false);
      expect(state.workingDaysUsed! + state.workingDaysLeft!).toBe(state.totalDays - state.pausedDays);
      expect(state.explanation[state.explanation.length - 1]).toBe(`答复期限为${c.due.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}`);
    },
  );
});

describe('computeReplyClock: states', () => {
  it('explains a plain case step by step', () => {
    const state = computeReplyClock(
      {
        receiptDate: '2024-09-27',
        correctionReceivedOn: '2024-10-08',
        pauses: [{ kind: 'third_party', from: '2024-10-10', to: '2024-10-15' }],
        extensionDays: 15,
      },
      cal,
      '2024-10-16',
    );
    expect(state.explanation).toEqual([
      '2024年9月27日收到申请',
      '法定答复期限20个工作日',
      '2024年10月8日收到补正后的申请，期限重新起算',
      '征求第三方意见，2024年10月10日至2024年10月15日暂停计算4个工作日', // 10-12 is an adjusted Saturday
      '经批准延长答复期限15个工作日',
      '答复期限为2024年11月29日',
    ]);
    expect(state).toMatchObject({
      start: '2024-10-08',
      due: '2024-11-29',
      paused: false,
      workingDaysUsed: 3, // 10-09, 10-10, 10-16
      totalDays: 39,
      pausedDays: 4,
    });
  });

  it('has no clock before receipt, nor while a correction is awaited', () => {
    expect(computeReplyClock({ receiptDate: null, pauses: [] }, cal, '2024-10-01')).toMatchObject({
      start: null,
      due: null,
      computedDue: null,
      workingDaysUsed: null,
      workingDaysLeft: null,
      overdue: false,
      explanation: ['尚未确认收到申请，答复期限尚未起算'],
    });
    const awaiting = computeReplyClock(
      { receiptDate: '2024-09-27', awaitingCorrectionSince: '2024-09-30', pauses: [] },
      cal,
      '2024-12-31',
    );
    expect(awaiting).toMatchObject({ start: null, due: null, overdue: false, paused: false });
    expect(awaiting.explanation[2]).toContain('2024年9月30日通知补正');
  });

  it('counts days left down to 0 on the due day and negative after', () => {
    const facts: ClockFacts = { receiptDate: '2024-09-27', pauses: [] };
    expect(computeReplyClock(facts, cal, '2024-09-27')).toMatchObject({ workingDaysUsed: 0, workingDaysLeft: 20 });
    expect(computeReplyClock(facts, cal, '2024-10-07')).toMatchObject({ workingDaysUsed: 2, workingDaysLeft: 18 }); // 09-29 is an adjusted Sunday
    expect(computeReplyClock(facts, cal, '2024-10-29')).toMatchObject({ workingDaysLeft: 1, overdue: false });
    expect(computeReplyClock(facts, cal, '2024-10-30')).toMatchObject({ workingDaysUsed: 20, workingDaysLeft: 0, overdue: false });
    const late = computeReplyClock(facts, cal, '2024-11-04');
    expect(late).toMatchObject({ due: '2024-10-30', workingDaysUsed: 23, workingDaysLeft: -3, overdue: true });
    expect(late.explanation).toContain('已超过答复期限3个工作日');
  });

  it('is negative on the non-working days right after the due day: overdue, though no working day has gone by', () => {
    const facts: ClockFacts = { receiptDate: '2024-03-01', pauses: [] };
    expect(computeReplyClock(facts, cal, '2024-03-29')).toMatchObject({ due: '2024-03-29', workingDaysLeft: 0, overdue: false }); // a Friday
    for (const weekend of ['2024-03-30', '2024-03-31']) {
      const s = computeReplyClock(facts, cal, weekend);
      expect([weekend, s.workingDaysLeft, s.overdue]).toEqual([weekend, -1, true]);
      expect(s.explanation).toContain('已超过答复期限');
    }
    expect(computeReplyClock(facts, cal, '2024-04-01')).toMatchObject({ workingDaysLeft: -1, overdue: true });
    expect(computeReplyClock(facts, cal, '2024-04-02')).toMatchObject({ workingDaysLeft: -2, overdue: true });
  });

  it('overdue exactly when the days left are negative, for any receipt date and any later day', () => {
    fc.assert(
      fc.property(fc.integer({ min: d('2020-01-01'), max: d('2025-11-30') }), fc.integer({ min: 0, max: 120 }), (receipt, after) => {
        const s = computeReplyClock({ receiptDate: iso(receipt), pauses: [] }, cal, iso(receipt + after));
        expect(s.overdue).toBe(s.workingDaysLeft! < 0);
      }),
    );
  });

  it('stands still while paused, with the days left frozen at the pause start', () => {
    const facts: ClockFacts = {
      receiptDate: '2024-09-27',
      pauses: [
        { kind: 'third_party', from: '2024-10-10', to: null },
        { kind: 'other_agency', from: '2024-10-11', to: '2024-10-14' },
      ],
    };
    const a = computeReplyClock(facts, cal, '2024-10-16');
    const b = computeReplyClock(facts, cal, '2024-11-20');
    for (const s of [a, b]) {
      expect(s).toMatchObject({ paused: true, due: null, computedDue: null, workingDaysUsed: 5, workingDaysLeft: 15, overdue: false });
    }
    expect(a.dueIfResumedToday).toBe(cal.addWorkingDays('2024-10-16', 15).date);
    expect(a.pausedDays).toBe(cal.countWorkingDays('2024-10-10', '2024-10-16').workingDays);
    expect(a.explanation.slice(-2)).toEqual(['征求第三方意见、征求其他机关意见，自2024年10月10日起暂停计算', '暂停计算中，恢复计算后尚余15个工作日']);
    // Closing the consultation on the 16th gives the predicted deadline.
    const resumed = computeReplyClock(
      { ...facts, pauses: [{ kind: 'third_party', from: '2024-10-10', to: '2024-10-16' }] },
      cal,
      '2024-10-16',
    );
    expect(resumed.due).toBe(a.dueIfResumedToday);
    expect(resumed.workingDaysLeft).toBe(15);
  });

  it('tells whether a concluded case was on time', () => {
    const facts: ClockFacts = { receiptDate: '2024-09-27', pauses: [] };
    const onTime = computeReplyClock({ ...facts, concludedOn: '2024-10-30' }, cal, '2025-03-01');
    expect(onTime).toMatchObject({ concluded: true, due: null, computedDue: '2024-10-30', overdue: false, workingDaysLeft: 0 });
    expect(onTime.explanation[onTime.explanation.length - 1]).toBe('2024年10月30日办结，未超过答复期限');
    const late = computeReplyClock({ ...facts, concludedOn: '2024-11-01' }, cal, '2025-03-01');
    expect(late).toMatchObject({ computedDue: '2024-10-30', overdue: true, workingDaysLeft: -2 });
    expect(late.explanation[late.explanation.length - 1]).toBe('2024年11月1日办结，超过答复期限2个工作日');
    const duringPause = computeReplyClock(
      { ...facts, pauses: [{ kind: 'fee', from: '2024-10-10', to: null }], concludedOn: '2025-01-10' },
      cal,
      '2025-03-01',
    );
    expect(duringPause).toMatchObject({ concluded: true, paused: false, due: null, computedDue: null, overdue: false });
  });

  it('replaces the deadline with an Art 35 date', () => {
    const s = computeReplyClock({ receiptDate: '2024-09-27', pauses: [], delayedUntil: '2024-12-20' }, cal, '2024-12-23');
    expect(s).toMatchObject({ due: '2024-12-20', overdue: true, workingDaysLeft: -1, provisional: false });
    expect(s.explanation).toContain('依条例第三十五条延迟答复，答复期限为2024年12月20日');
  });

  it('keeps an Art 35 date where it is after a consultation, and says so', () => {
    const s = computeReplyClock(
      { receiptDate: '2024-09-27', pauses: [{ kind: 'third_party', from: '2024-11-01', to: '2024-11-12' }], delayedUntil: '2024-12-20' },
      cal,
      '2024-11-20',
    );
    expect(s).toMatchObject({ due: '2024-12-20', paused: false });
    expect(s.explanation).toContain('征求第三方意见，2024年11月1日至2024年11月12日（依条例第三十五条确定的答复期限不因此顺延）');
    expect(s.explanation.join('')).not.toContain('暂停计算');
  });

  it('discards pauses begun before the clock start, and ignores pauses begun after the deadline', () => {
    const corrected = computeReplyClock(
      {
        receiptDate: '2024-09-02',
        pauses: [{ kind: 'third_party', from: '2024-09-03', to: '2024-09-20' }],
        correctionReceivedOn: '2024-09-27',
      },
      cal,
      '2024-10-01',
    );
    expect(corrected.due).toBe('2024-10-30');
    expect(corrected.explanation[2]).toBe('2024年9月27日收到补正后的申请，期限重新起算（此前的暂停不再计算）');
    const late = computeReplyClock(
      { receiptDate: '2024-09-27', pauses: [{ kind: 'fee', from: '2024-10-31', to: '2024-11-20' }] },
      cal,
      '2024-11-20',
    );
    expect(late).toMatchObject({ due: '2024-10-30', paused: false, overdue: true, pausedDays: 0 });
    expect(late.explanation).toContain('通知缴纳信息处理费始于2024年10月31日，已在答复期限届满之后，不暂停计算');
  });

  it('lets a pause begun on the due day stop the clock', () => {
    const s = computeReplyClock(
      { receiptDate: '2024-09-27', pauses: [{ kind: 'third_party', from: '2024-10-30', to: '2024-11-05' }] },
      cal,
      '2024-11-05',
    );
    expect(s).toMatchObject({ due: '2024-11-05', workingDaysLeft: 0, overdue: false, pausedDays: 4 });
  });

  it('marks deadlines on or after 1 December of the last loaded year provisional', () => {
    const facts: ClockFacts = { receiptDate: '2026-11-10', pauses: [] };
    const s = computeReplyClock(facts, cal, '2026-11-10');
    expect(s.provisional).toBe(true);
    expect(s.explanation[s.explanation.length - 1]).toMatch(/^答复期限为2026年12月8日（暂定：/);
    const settled = computeReplyClock(facts, cal.withYear({ year: 2027, off: ['2027-01-01'], work: [] }), '2026-11-10');
    expect(settled.provisional).toBe(false);
    expect(computeReplyClock({ receiptDate: '2026-10-20', pauses: [] }, cal, '2026-10-20').provisional).toBe(false);
    const paused = computeReplyClock(
      { receiptDate: '2026-10-20', pauses: [{ kind: 'fee', from: '2026-10-21', to: null }] },
      cal,
      '2026-11-20',
    );
    expect(paused.provisional).toBe(true);
  });

  it('uses a configured period', () => {
    const s = computeReplyClock({ receiptDate: '2024-09-27', pauses: [], periodDays: 15 }, cal, '2024-09-27');
    expect(s.due).toBe(cal.addWorkingDays('2024-09-27', 15).date);
    expect(s.explanation[1]).toBe('答复期限15个工作日');
  });

  it('rejects malformed facts', () => {
    expect(() => computeReplyClock({ receiptDate: '2024-02-30', pauses: [] }, cal, '2024-03-01')).toThrow(RangeError);
    expect(() =>
      computeReplyClock({ receiptDate: '2024-09-27', pauses: [{ kind: 'fee', from: '2024-10-10', to: '2024-10-09' }] }, cal, '2024-10-11'),
    ).toThrow(RangeError);
    expect(() => computeReplyClock({ receiptDate: '2024-09-27', pauses: [], extensionDays: -1 }, cal, '2024-10-01')).toThrow(RangeError);
    expect(() =>
      computeReplyClock({ receiptDate: '2024-09-27', correctionReceivedOn: '2024-09-26', pauses: [] }, cal, '2024-10-01'),
    ).toThrow(RangeError);
  });
});

describe('sub-deadlines', () => {
  it('computes the correction window and the applicant periods', () => {
    expect(correctionRequestDeadline('2024-09-27', cal)).toEqual({ date: '2024-10-12', provisional: false });
    expect(applicantPeriodEnd('2024-09-30', CORRECTION_PERIOD_DAYS, cal)).toEqual({ date: '2024-10-25', provisional: false });
    expect(applicantPeriodEnd('2024-09-30', FEE_PAYMENT_DAYS, cal)).toEqual({ date: '2024-11-01', provisional: false });
    expect(applicantPeriodEnd('2026-11-20', 15, cal).provisional).toBe(true);
    expect(() => applicantPeriodEnd('2024-09-30', 0, cal)).toThrow(RangeError);
    expect(periodLapsed('2024-10-22', '2024-10-22')).toBe(false);
    expect(periodLapsed('2024-10-22', '2024-10-23')).toBe(true);
  });

  it('allows an extension only on or before the current deadline', () => {
    const running = computeReplyClock({ receiptDate: '2024-09-27', pauses: [] }, cal, '2024-10-30');
    expect(extensionApprovable(running, '2024-10-30')).toBe(true);
    expect(extensionApprovable(running, '2024-10-31')).toBe(false);
    const paused = computeReplyClock({ receiptDate: '2024-09-27', pauses: [{ kind: 'fee', from: '2024-10-10', to: null }] }, cal, '2024-12-01');
    expect(extensionApprovable(paused, '2024-12-01')).toBe(true);
    const noClock = computeReplyClock({ receiptDate: '2024-09-27', awaitingCorrectionSince: '2024-09-30', pauses: [] }, cal, '2024-10-01');
    expect(extensionApprovable(noClock, '2024-10-01')).toBe(false);
    const done = computeReplyClock({ receiptDate: '2024-09-27', pauses: [], concludedOn: '2024-10-10' }, cal, '2024-10-10');
    expect(withinDeadline(done, '2024-10-10')).toBe(false);
  });
});

// ---- laws (fast-check) ----

/** Day-by-day reference: the clock reaches its deadline on the day the counted working days reach the period. */
function refDue(start: number, base: number, pauses: { from: number; to: number }[]): number {
  let used = 0;
  for (let x = start + 1; ; x++) {
    if (!cal.isWorkingDayN(x)) continue;
    if (pauses.some((p) => p.from < x && x <= p.to)) continue;
    if (++used === base) return x;
  }
}

const startArb = fc.integer({ min: d('2018-12-01'), max: d('2027-10-31') });
const pauseArb = fc.record({
  kind: fc.constantFrom<PauseKind>('third_party', 'other_agency', 'fee'),
  offset: fc.integer({ min: 0, max: 40 }),
  length: fc.integer({ min: 0, max: 25 }),
});
type PauseSpec = { kind: PauseKind; offset: number; length: number };
const toPauses = (start: number, specs: PauseSpec[]): ClockPause[] =>
  specs.map((p) => ({ kind: p.kind, from: iso(start + p.offset), to: iso(start + p.offset + p.length) }));
const dueOf = (facts: ClockFacts, today = '2030-01-01'): number => d(computeReplyClock(facts, cal, today).computedDue!);

describe('computeReplyClock: laws (fast-check)', () => {
  it('agrees with a day-by-day reference (closed, possibly overlapping pauses)', () => {
    fc.assert(
      fc.property(startArb, fc.array(pauseArb, { maxLength: 4 }), fc.integer({ min: 0, max: 20 }), (start, specs, ext) => {
        const spans = specs.map((p) => ({ from: start + p.offset, to: start + p.offset + p.length }));
        const expected = refDue(start, 20 + ext, spans);
        // Boundary where the two readings differ by design: a pause begun on the due day itself stops the clock.
        fc.pre(!spans.some((s) => s.from === expected && s.to > s.from));
        const facts: ClockFacts = { receiptDate: iso(start), pauses: toPauses(start, specs), extensionDays: ext };
        expect(dueOf(facts)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('a pause of zero length changes nothing', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 40 }), (start, offset) => {
        const plain = dueOf({ receiptDate: iso(start), pauses: [] });
        const s = iso(start + offset);
        expect(dueOf({ receiptDate: iso(start), pauses: [{ kind: 'fee', from: s, to: s }] })).toBe(plain);
      }),
    );
  });

  it('overlapping pauses count once', () => {
    fc.assert(
      fc.property(startArb, pauseArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (start, p, into, len) => {
        const s1 = start + p.offset;
        const e1 = s1 + p.length;
        const s2 = s1 + Math.min(into, p.length); // begins inside the first
        const e2 = s2 + len;
        const both = dueOf({
          receiptDate: iso(start),
          pauses: [
            { kind: 'third_party', from: iso(s1), to: iso(e1) },
            { kind: 'other_agency', from: iso(s2), to: iso(e2) },
          ],
        });
        const union = dueOf({ receiptDate: iso(start), pauses: [{ kind: 'third_party', from: iso(s1), to: iso(Math.max(e1, e2)) }] });
        expect(both).toBe(union);
      }),
    );
  });

  it('after a correction the deadline depends only on the correction date', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 60 }), fc.array(pauseArb, { maxLength: 3 }), (receipt, gap, specs) => {
        const correction = receipt + gap;
        const before = specs
          .map((p) => ({ ...p, offset: p.offset % gap }))
          .map((p) => ({ kind: p.kind, from: iso(receipt + p.offset), to: iso(receipt + p.offset + p.length) }));
        const withHistory = dueOf({ receiptDate: iso(receipt), pauses: before, correctionReceivedOn: iso(correction) });
        const fresh = dueOf({ receiptDate: iso(correction), pauses: [] });
        expect(withHistory).toBe(fresh);
      }),
    );
  });

  it('a closed pause (S, E] with S < due shifts the deadline by exactly count(S, E) working days', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 20 }), (start, offset, length, ext) => {
        const base = dueOf({ receiptDate: iso(start), pauses: [], extensionDays: ext });
        const s = start + offset;
        fc.pre(s < base);
        const e = s + length;
        const shifted = dueOf({
          receiptDate: iso(start),
          pauses: [{ kind: 'third_party', from: iso(s), to: iso(e) }],
          extensionDays: ext,
        });
        expect(shifted).toBe(cal.addN(base, cal.countN(s, e)));
      }),
    );
  });

  it('used + left = period + extension while running (left at most −1 once overdue), and overdue iff today is after the deadline', () => {
    fc.assert(
      fc.property(startArb, fc.array(pauseArb, { maxLength: 3 }), fc.integer({ min: 0, max: 120 }), (start, specs, ahead) => {
        const pauses = toPauses(start, specs);
        const lastEnd = Math.max(start, ...specs.map((p) => start + p.offset + p.length));
        const today = lastEnd + ahead;
        const state = computeReplyClock({ receiptDate: iso(start), pauses }, cal, iso(today));
        expect(state.paused).toBe(false);
        expect(state.overdue).toBe(today > d(state.due!));
        const rest = 20 - state.workingDaysUsed!;
        // on a non-working day right after the due day no working day is used beyond 20, yet the case is late
        expect(state.workingDaysLeft).toBe(state.overdue ? Math.min(rest, -1) : rest);
        expect(state.totalDays).toBe(20 + state.pausedDays);
      }),
    );
  });
});
