import fc from 'fast-check';
import {
  art35Flag,
  DEFAULT_ART35_THRESHOLDS,
  delayedReplyAllowed,
  reasonsPeriodEnd,
  reasonsRequestAllowed,
  recordReasonsAllowed,
  vexatiousAllowed,
  type ReasonsRequest,
} from './art35';
import { WorkingCalendar } from './working-calendar';

const cal = WorkingCalendar.official();
const req = (over: Partial<ReasonsRequest> = {}): ReasonsRequest => ({ requestedOn: '2024-09-27', items: ['说明理由'], periodDays: 15, answeredOn: null, content: null, reasonable: null, ...over });

describe('Art 35 flag at intake', () => {
  const t = { perMonth: 10, windowDays: 7, perWindow: 5 };

  it('flags exactly when a count exceeds its threshold (edges)', () => {
    expect(art35Flag({ month: 10, window: 5 }, t)).toBeNull();
    expect(art35Flag({ month: 11, window: 5 }, t)?.reasons).toHaveLength(1);
    expect(art35Flag({ month: 11, window: 5 }, t)?.reasons[0]).toContain('本自然月内已向本机关提出申请11件，超过本机关设定的10件');
    expect(art35Flag({ month: 6, window: 6 }, t)?.reasons).toEqual(['同一申请人7日内已向本机关提出申请6件，超过本机关设定的5件']);
    expect(art35Flag({ month: 12, window: 8 }, t)?.reasons).toHaveLength(2);
  });

  it('property: flagged iff month > perMonth or window > perWindow; the flag keeps the counts and thresholds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 100 }), (month, window, perMonth, windowDays, perWindow) => {
        const th = { perMonth, windowDays, perWindow };
        const f = art35Flag({ month, window }, th);
        const want = month > perMonth || window > perWindow;
        if (!want) return f === null;
        return f !== null && f.month === month && f.window === window && f.thresholds === th && f.reasons.length === Number(month > perMonth) + Number(window > perWindow);
      }),
    );
  });

  it('refuses counts that are not positive integers; the defaults flag past 10 a month or 5 a week', () => {
    expect(() => art35Flag({ month: 0, window: 1 })).toThrow(RangeError);
    expect(() => art35Flag({ month: 1.5, window: 1 })).toThrow(RangeError);
    expect(art35Flag({ month: 10, window: 5 })).toBeNull();
    expect(art35Flag({ month: 11, window: 6 }, DEFAULT_ART35_THRESHOLDS)?.reasons).toHaveLength(2);
  });
});

describe('Art 35 guards', () => {
  const end = reasonsPeriodEnd(req(), null, cal);

  it('the period runs 15 working days from the recorded delivery, else from the request', () => {
    expect(end).toBe('2024-10-23'); // 2024-09-27 + 15 working days: 09-29 and 10-12 worked, 10-01 to 10-07 off
    expect(reasonsPeriodEnd(req(), '2024-10-08', cal)).toBe('2024-10-28');
    // a delivery date before the request (a typing error) is not used
    expect(reasonsPeriodEnd(req(), '2024-09-01', cal)).toBe(end);
  });

  it('rejected.vexatious: only after an unreasonable answer, or no answer past the period', () => {
    expect(vexatiousAllowed(null, null, '2024-12-01').ok).toBe(false);
    expect(vexatiousAllowed(req({ reasonable: false }), end, '2024-09-28').ok).toBe(true);
    expect(vexatiousAllowed(req({ reasonable: true }), end, '2024-12-01').ok).toBe(false);
    expect(vexatiousAllowed(req(), end, end)).toMatchObject({ ok: false, periodEnds: end });
    expect(vexatiousAllowed(req(), end, '2024-10-24').ok).toBe(true);
  });

  it('set-delayed-reply: only after reasons found reasonable', () => {
    expect(delayedReplyAllowed(null).ok).toBe(false);
    expect(delayedReplyAllowed(req()).ok).toBe(false);
    expect(delayedReplyAllowed(req({ reasonable: false })).ok).toBe(false);
    expect(delayedReplyAllowed(req({ reasonable: true })).ok).toBe(true);
  });

  it('one request per case, its answer recorded once', () => {
    expect(reasonsRequestAllowed(null).ok).toBe(true);
    expect(reasonsRequestAllowed(req()).ok).toBe(false);
    expect(reasonsRequestAllowed(req({ reasonable: true })).ok).toBe(false);
    expect(recordReasonsAllowed(null).ok).toBe(false);
    expect(recordReasonsAllowed(req()).ok).toBe(true);
    expect(recordReasonsAllowed(req({ reasonable: false })).ok).toBe(false);
  });

  it('exhaustively: the two outcomes are never both open, and each needs a request', () => {
    for (const r of [null, req(), req({ reasonable: true }), req({ reasonable: false })]) {
      for (const on of ['2024-10-23', '2024-10-24']) {
        const v = vexatiousAllowed(r, r ? end : null, on).ok;
        const d = delayedReplyAllowed(r).ok;
        expect(v && d).toBe(false);
        if (!r) expect(v || d).toBe(false);
      }
    }
  });
});
