import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthUser } from '../src/auth/auth-user';
import { todayInShanghai } from '../src/statute/iso-date';
import { CASE_STATES } from '../src/statute/case-states';
import { CHANNELS } from '../src/statute/intake';
import { OUTCOME_CODES } from '../src/statute/outcomes';
import { CasesModule } from '../src/cases/cases.module';
import { CasesService } from '../src/cases/cases.service';
import type { CaseDto } from '../src/cases/dto/case-response.dto';
import { DEMO_CASES } from '../src/demo/demo-cases';
import { DemoSeeder } from '../src/demo/demo-seeder';
import { portalLetters } from '../src/letters/dto/letter.dto';
import { LetterDocuments } from '../src/letters/letter-documents.service';
import { LetterJobs } from '../src/letters/letter-jobs';
import { LettersRepository } from '../src/letters/letters.repository';
import { pdfTexts } from './support/pdf-text';
import { createTestApp, type TestApp } from './support/test-app';

describe('demo data: the city and its cases', () => {
  let t: TestApp;
  let seeded: boolean;
  let cases: CaseDto[];
  let today: string;
  let auditor: AuthUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_DATA: 'on' } });
    today = todayInShanghai(t.clock.now());
    seeded = await t.app.get(DemoSeeder).seedIfEmpty();
    // the city's auditor reads every case of the city and its departments and districts
    const [a] = await t.ds.query(`SELECT u.id, u.username, u.role, u.agency_id AS "agencyId" FROM users u WHERE u.username = 'gov-office.auditor'`);
    auditor = a as AuthUser;
    const ids: { id: string }[] = await t.ds.query(`SELECT id FROM cases ORDER BY seq`);
    // the case module's service, on the real clock (the demo module has its own on the demo clock)
    const svc = t.app.select(CasesModule).get(CasesService);
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

  it('has a reply superseded by a corrected one: both kept and linked, both PDFs render, the portal lists the new one with its line', async () => {
    const [old] = await t.ds.query(`SELECT id, case_id, number, dated_on::text, superseded_by FROM letters WHERE state = 'superseded'`);
    expect(old).toBeDefined();
    const [replacement] = await t.ds.query(`SELECT id, code, state, number, dated_on::text, supersedes, supersede_reason FROM letters WHERE id = $1`, [old.superseded_by]);
    expect(replacement).toMatchObject({ code: 'reply', state: 'issued', supersedes: old.id, supersede_reason: '答复书所列负责公开该信息的机关名称有误' });
    expect(replacement.number).not.toBe(old.number);
    expect(replacement.dated_on > old.dated_on && replacement.dated_on <= today).toBe(true);
    // the decision stays: the case is concluded on the old reply's day, its details corrected
    const c = cases.find((x) => x.id === old.case_id)!;
    expect(c).toMatchObject({ state: 'concluded', outcome: 'unavailable.not_held', concludedOn: old.dated_on, outcomeDetails: { competentAgency: { name: '盘锦市城市管理综合行政执法局' } } });
    const [h] = await t.ds.query(`SELECT "on"::text AS "on", payload FROM case_history WHERE case_id = $1 AND action = 'supersede-letter'`, [c.id]);
    expect(h).toMatchObject({ on: replacement.dated_on, payload: { letterId: old.id, replacementId: replacement.id, replacementNumber: replacement.number } });

    // both render (the old one was rendered before it was superseded), parsed back: the wrong name, then the right one
    const jobs = t.app.get(LetterJobs);
    expect(await jobs.render(old.id)).toBe('skipped');
    expect(['rendered', 'already']).toContain(await jobs.render(replacement.id));
    const docs = t.app.get(LetterDocuments);
    const [oldText, newText] = pdfTexts((await docs.staffPdf(old.id, auditor)).bytes, (await docs.staffPdf(replacement.id, auditor)).bytes);
    expect(oldText).toContain('盘锦市城市管理局');
    expect(oldText).toContain(old.number.replace(/\s/g, ''));
    expect(newText).toContain('盘锦市城市管理综合行政执法局');
    expect(newText).not.toContain('盘锦市城市管理局');
    expect(newText).toContain(replacement.number.replace(/\s/g, ''));

    // the portal's list: the current reply with the line saying which one it replaces, the old one not listed
    const listed = portalLetters(await t.app.get(LettersRepository).ofCase(c.id)).filter((l) => l.code === 'reply');
    const [y, m, d] = old.dated_on.split('-').map(Number);
    expect(listed).toEqual([expect.objectContaining({ number: replacement.number, replaces: `本文书更正并替代${y}年${m}月${d}日印发的${old.number}，原文书不再有效。` })]);
  });

  it('has a granted reply that provides a file (attachment kind release), listed in the reply and recorded with it', async () => {
    const rows: { kind: string; file_name: string; content_type: string; size: number; provided: string[] | null }[] = await t.ds.query(
      `SELECT a.kind, a.file_name, a.content_type, a.size, l.facts -> 'providedFiles' AS provided
         FROM letter_release_files r JOIN attachments a ON a.id = r.attachment_id JOIN letters l ON l.id = r.letter_id
        WHERE l.code = 'reply' AND l.outcome = 'granted'`,
    );
    expect(rows).toEqual([expect.objectContaining({ kind: 'release', file_name: expect.stringMatching(/^\d{4}年度城镇职工基本养老保险基金收支决算表\.pdf$/), content_type: 'application/pdf' })]);
    expect(rows[0].size).toBeGreaterThan(1000);
    expect(rows[0].provided).toEqual([expect.stringContaining(rows[0].file_name)]);
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
