import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthUser } from '../src/auth/auth-user';
import { todayInShanghai } from '../src/statute/iso-date';
import { CASE_STATES } from '../src/statute/case-states';
import { CHANNELS } from '../src/statute/intake';
import { OUTCOME_CODES } from '../src/statute/outcomes';
import { CasesService } from '../src/cases/cases.service';
import type { CaseDto } from '../src/cases/dto/case-response.dto';
import { DEMO_CASES } from '../src/demo/demo-cases';
import { DemoSeeder } from '../src/demo/demo-seeder';
import { LetterJobs } from '../src/letters/letter-jobs';
import { createTestApp, type TestApp } from './support/test-app';

describe('demo data: the city and its cases', () => {
  let t: TestApp;
  let seeded: boolean;
  let cases: CaseDto[];
  let today: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_DATA: 'on' } });
    today = todayInShanghai(t.clock.now());
    seeded = await t.app.get(DemoSeeder).seedIfEmpty();
    // the city's auditor reads every case of the city and its departments and districts
    const [a] = await t.ds.query(`SELECT u.id, u.username, u.role, u.agency_id AS "agencyId" FROM users u WHERE u.username = 'gov-office.auditor'`);
    const auditor = a as AuthUser;
    const ids: { id: string }[] = await t.ds.query(`SELECT id FROM cases ORDER BY seq`);
    const svc = t.app.get(CasesService);
    cases = [];
    for (const { id } of ids) cases.push(await svc.get(id, auditor));
  }, 120_000);

  afterAll(async () => {
    const dir = t?.config.varDir;
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seeds once, about fifty cases (one reopened)', () => {
    expect(seeded).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(cases.length).toBeLessThanOrEqual(60);
    // one per scenario, plus the case the corrected review reopened
    expect(cases.length).toBe(DEMO_CASES.length + 1);
  });

  it('covers every state, every outcome and every channel', () => {
    const states = new Set(cases.map((c) => c.state));
    for (const s of CASE_STATES) expect([s, states.has(s)]).toEqual([s, true]);
    const outcomes = new Set(cases.filter((c) => c.state === 'concluded').map((c) => c.outcome));
    for (const o of OUTCOME_CODES) expect([o, outcomes.has(o)]).toEqual([o, true]);
    expect(outcomes.size).toBe(OUTCOME_CODES.length);
    const channels = new Set(cases.map((c) => c.channel));
    for (const ch of CHANNELS) expect([ch, channels.has(ch)]).toEqual([ch, true]);
    expect(new Set(cases.map((c) => c.agencyId)).size).toBe(7);
    const types = new Set(cases.map((c) => c.applicant.type));
    expect(types.size).toBe(6);
  });

  it('has deadlines worth a board: overdue, due within 5 working days, concluded late and on time', () => {
    const open = cases.filter((c) => !['concluded', 'discarded', 'submitted'].includes(c.state));
    expect(open.filter((c) => c.deadline.overdue).length).toBeGreaterThanOrEqual(2);
    expect(open.filter((c) => c.deadline.due && c.deadline.workingDaysLeft! >= 0 && c.deadline.workingDaysLeft! <= 5).length).toBeGreaterThanOrEqual(2);
    const concluded = cases.filter((c) => c.state === 'concluded');
    expect(concluded.filter((c) => c.deadline.overdue).length).toBeGreaterThanOrEqual(2);
    expect(concluded.filter((c) => !c.deadline.overdue).length).toBeGreaterThanOrEqual(15);
    expect(cases.some((c) => (c.extension as { status?: string } | null)?.status === 'approved')).toBe(true);
    expect(cases.some((c) => c.delayedUntil)).toBe(true);
  });

  it('has reviews, one corrected and reopened as a linked case', () => {
    const reviews = cases.flatMap((c) => c.reviews ?? []);
    expect(reviews.length).toBeGreaterThanOrEqual(3);
    expect(reviews.some((r) => r.result === 'corrected')).toBe(true);
    expect(reviews.some((r) => r.result === 'pending')).toBe(true);
    const reopened = cases.filter((c) => c.reopenedFrom);
    expect(reopened).toHaveLength(1);
    const old = cases.find((c) => c.id === reopened[0].reopenedFrom)!;
    expect(old.state).toBe('concluded');
    expect(old.reviews!.some((r) => r.result === 'corrected')).toBe(true);
    expect(reopened[0].state).toBe('in_progress');
  });

  it('gives every case a consistent history, nothing dated in the future', async () => {
    const rows: { case_id: string; on: string | null; at: Date; action: string; recorded_late: boolean }[] = await t.ds.query(
      `SELECT case_id, "on"::text AS "on", at, action, recorded_late FROM case_history ORDER BY case_id, id`,
    );
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
    const now = t.clock.now().getTime() + 1000;
    for (const c of cases) {
      const h = byCase.get(c.id) ?? [];
      expect([c.trackingNumber, h.length > 0]).toEqual([c.trackingNumber, true]);
      let lastOn = '';
      let lastAt = 0;
      for (const r of h) {
        expect(r.at.getTime()).toBeLessThanOrEqual(now);
        expect(r.at.getTime()).toBeGreaterThanOrEqual(lastAt);
        lastAt = r.at.getTime();
        expect(r.recorded_late).toBe(false);
        if (r.on === null) continue;
        expect(r.on <= today).toBe(true);
        expect([c.trackingNumber, r.action, r.on >= lastOn]).toEqual([c.trackingNumber, r.action, true]);
        lastOn = r.on;
      }
      if (c.receiptDate) expect(c.receiptDate <= today).toBe(true);
      if (c.concludedOn) expect(c.concludedOn <= today).toBe(true);
      if (c.submittedAt) expect(Date.parse(c.submittedAt)).toBeLessThanOrEqual(now);
    }
    const [span] = await t.ds.query(`SELECT min(receipt_date)::text AS first, max(receipt_date)::text AS last FROM cases`);
    // spread over the past year
    expect(Date.parse(today) - Date.parse(span.first)).toBeGreaterThan(250 * 86_400_000);
    const reviews: { filed_on: string; concluded_on: string | null; decision_received_on: string | null }[] = await t.ds.query(
      `SELECT filed_on::text, concluded_on::text, decision_received_on::text FROM reviews`,
    );
    for (const r of reviews) for (const d of Object.values(r)) if (d) expect(d <= today).toBe(true);
  });

  it('has the letters its steps sent, numbered in each agency’s series with its prefixes', async () => {
    const rows: { case_id: string; code: string; state: string; number: string | null; dated_on: string | null }[] = await t.ds.query(
      `SELECT case_id, code, state, number, dated_on::text FROM letters ORDER BY case_id, created_at`,
    );
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
    for (const c of cases) {
      const ls = byCase.get(c.id) ?? [];
      const issued = (code: string) => ls.filter((l) => l.code === code && (l.state === 'issued' || l.state === 'delivered'));
      // a receipt for every received case, the reopened one included (its new tracking number)
      expect([c.trackingNumber, issued('receipt').length]).toEqual([c.trackingNumber, c.receiptDate ? 1 : 0]);
      const replied = c.state === 'concluded' && !['other.correction_lapsed', 'other.fee_unpaid'].includes(c.outcome!) && !(c.outcome === 'other.other' && !issued('reply').length);
      if (replied) expect([c.trackingNumber, issued('reply').length]).toEqual([c.trackingNumber, 1]);
      if (c.outcome === 'other.correction_lapsed' || c.outcome === 'other.fee_unpaid') expect(issued('termination_notice')).toHaveLength(1);
    }
    for (const r of rows.filter((l) => l.number)) expect(r.number).toMatch(/^[^〔]+依.〔20\d\d〕[1-9]\d*号$/);
    expect(new Set(rows.map((r) => r.number).filter(Boolean)).size).toBe(rows.filter((r) => r.number).length);
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(['receipt', 'correction_notice', 'consultation_notice', 'third_party_consultation', 'agency_consultation', 'extension_notice', 'fee_notice', 'delay_notice', 'reasons_request', 'reply', 'termination_notice', ...rows.filter((r) => r.code === 'third_party_disclosure').map((r) => r.code)]));
  });

  it('writes the credentials under VAR_DIR, and a second call seeds nothing', async () => {
    const file = join(t.config.varDir, 'demo-credentials.txt');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 21);
    expect(lines[1]).toMatch(/^盘锦市人民政府办公室\tclerk\tgov-office\.clerk\t\S{12}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = await t.ds.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM agencies)::int AS agencies`);
    expect(await t.app.get(DemoSeeder).seedIfEmpty()).toBe(false);
    const after = await t.ds.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM agencies)::int AS agencies`);
    expect(after).toEqual(before);
  });

  it('renders the letters of the concluded cases (stored once, with their SHA-256)', async () => {
    const rows: { id: string }[] = await t.ds.query(
      `SELECT l.id FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.state = 'concluded' AND l.state IN ('issued', 'delivered') ORDER BY l.issued_at`,
    );
    expect(rows.length).toBeGreaterThan(20);
    const jobs = t.app.get(LetterJobs);
    for (const { id } of rows) expect(['rendered', 'already']).toContain(await jobs.render(id));
    const [left] = await t.ds.query(
      `SELECT count(*)::int AS n FROM letters l JOIN cases c ON c.id = l.case_id LEFT JOIN letter_pdfs p ON p.letter_id = l.id
        WHERE c.state = 'concluded' AND l.state IN ('issued', 'delivered') AND (l.rendered_at IS NULL OR p.sha256 IS DISTINCT FROM l.sha256)`,
    );
    expect(left.n).toBe(0);
  }, 900_000);
});
