import { CaseDeadlines } from '../src/cases/case-deadlines.service';
import { CasesRepository } from '../src/cases/cases.repository';
import { intake } from './support/cases';
import { eventually } from './support/smtp';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

/** Loading the next year's arrangement moves provisional deadlines: recomputed by a job, recorded in the history. */
describe('calendar reload recomputes open deadlines', () => {
  let t: TestApp;
  let org: TestOrg;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-10T02:00:00Z', workers: true });
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  it('moves a deadline across the new year holiday and records the change', async () => {
    const clerk = org.people['dept.clerk'];
    // received 2026-12-08: 20 working days end 2027-01-06 (provisional: weekends and the statutory 元旦, 2027-01-01)
    const c = await intake(t, clerk, '2026-12-08');
    expect(c.deadline).toMatchObject({ due: '2027-01-06', provisional: true });
    expect(c.deadline.explanation).toEqual(expect.arrayContaining([expect.stringContaining('元旦')]));
    const concluded = await intake(t, clerk, '2026-12-01', { description: '已办结案件不重算' });
    const load = await t
      .http()
      .put('/api/v1/calendar/years/2027')
      .set(bearer(org.people.admin))
      .send({ off: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'], work: ['2027-01-09'], notices: ['测试用安排'] });
    expect(load.status).toBe(200);
    const moved = await eventually(async () => {
      const r = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk));
      return r.body.deadline.due === '2027-01-07' ? r.body : null;
    }, 20_000, 'the recomputed deadline');
    expect(moved.deadline.provisional).toBe(false);
    // the stored deadline (lists, filters, reminders) is recomputed by a job, and recorded
    const row = await eventually(async () => {
      const h = await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk));
      return h.body.items.find((x: { action: string }) => x.action === 'recompute-deadline');
    }, 20_000, 'the history row');
    const [stored] = await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due, deadline_provisional AS p FROM cases WHERE id = $1`, [c.id]);
    expect(stored).toEqual({ due: '2027-01-07', p: false });
    const reminders = await t.ds.query(`SELECT dedupe_key FROM scheduled_actions WHERE case_id = $1 AND status = 'pending' AND kind = 'deadline_reminder'`, [c.id]);
    expect(reminders.every((r: { dedupe_key: string }) => r.dedupe_key.includes('2027-01-07'))).toBe(true);
    expect(row).toMatchObject({ actor: { role: 'system' }, payload: { calendarYear: 2027, from: { due: '2027-01-06' }, to: { due: '2027-01-07' } } });
    void concluded;
    // the run is recorded done
    const run = await eventually(async () => (await t.ds.query(`SELECT done_at FROM deadline_recomputes WHERE year = 2027 AND done_at IS NOT NULL`))[0], 20_000, 'the run done');
    expect(run.done_at).toBeTruthy();
  });

  it('takes a case changed during the recompute round again, rather than trusting that change’s calendar', async () => {
    const clerk = org.people['dept.clerk'];
    const c = await intake(t, clerk, '2026-12-09', { description: '重算时案件被修改' });
    const right = c.deadline.due as string;
    await t.ds.query(`UPDATE cases SET due_date = '2027-02-01', computed_due = '2027-02-01' WHERE id = $1`, [c.id]);
    // the first compare-and-set loses, as when a clerk's action (with a calendar read before the load) commits first
    const repo = t.app.get(CasesRepository);
    const spy = jest.spyOn(repo, 'updateIfVersion').mockImplementationOnce(async () => false);
    try {
      await t.app.get(CaseDeadlines).recomputeBatch(2027, null, 100_000);
    } finally {
      spy.mockRestore();
    }
    const [row] = await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due FROM cases WHERE id = $1`, [c.id]);
    expect(row.due).toBe(right);
  });

  it('resumes a recompute cut short (Redis wiped, workers stopped) from where the database says it stopped', async () => {
    const clerk = org.people['dept.clerk'];
    const c = await intake(t, clerk, '2026-12-09', { description: '重算中断后恢复' });
    const right = c.deadline.due as string;
    // as if the run had stopped before this case: its stored deadline still the old one, the run not done
    await t.ds.query(`UPDATE cases SET due_date = '2027-02-01', computed_due = '2027-02-01' WHERE id = $1`, [c.id]);
    const longAgo = new Date(t.clock.now().getTime() - 10 * 60_000);
    await t.ds.query(`UPDATE deadline_recomputes SET done_at = NULL, after_id = NULL, run_id = gen_random_uuid(), progressed_at = $1 WHERE year = 2027`, [longAgo]);
    const deadlines = t.app.get(CaseDeadlines);
    // a run that moved recently is left alone
    expect(await deadlines.resumeStalled(60 * 60_000)).toBe(0);
    expect(await deadlines.resumeStalled()).toBe(1);
    const fixed = await eventually(async () => {
      const [row] = await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due FROM cases WHERE id = $1`, [c.id]);
      return row.due === right ? row : null;
    }, 20_000, 'the deadline recomputed by the resumed run');
    expect(fixed.due).toBe(right);
    await eventually(async () => (await t.ds.query(`SELECT 1 FROM deadline_recomputes WHERE year = 2027 AND done_at IS NOT NULL`)).length === 1, 20_000, 'the resumed run done');
    // done: nothing more to resume
    expect(await deadlines.resumeStalled(0)).toBe(0);
    // a load whose process died before asking for its recompute: the load's own time tells it was never asked
    await t.ds.query(`DELETE FROM deadline_recomputes WHERE year = 2027`);
    await t.ds.query(`UPDATE cases SET due_date = '2027-02-01', computed_due = '2027-02-01' WHERE id = $1`, [c.id]);
    expect(await deadlines.resumeStalled(0)).toBe(1);
    await eventually(async () => (await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due FROM cases WHERE id = $1`, [c.id]))[0].due === right, 20_000, 'the missed recompute');
    await eventually(async () => (await t.ds.query(`SELECT 1 FROM deadline_recomputes WHERE year = 2027 AND done_at IS NOT NULL`)).length === 1, 20_000, 'the missed run done');
  });

  it('plans again the reminders of periods that run from a notice, though the case has no deadline to move', async () => {
    const clerk = org.people['dept.clerk'];
    // a correction asked for today with 20 working days: the period ends 2027-01-08 provisionally (元旦 off), 01-09
    // (an adjusted Saturday) with the arrangement loaded above
    const c = await intake(t, clerk, '2026-12-08', { description: '补正期间跨年的申请' });
    const asked = await t.http().post(`/api/v1/cases/${c.id}/request-correction`).set(bearer(clerk)).send({ expectedVersion: c.version, on: '2026-12-10', items: ['请明确所需信息的时间范围'], periodDays: 20 });
    expect(asked.status).toBe(200);
    const ends = asked.body.periods.correctionPeriodEnds as string;
    expect(['2027-01-08', '2027-01-09']).toContain(ends);
    const lapse = (): Promise<{ dedupe_key: string }[]> =>
      t.ds.query(`SELECT dedupe_key FROM scheduled_actions WHERE case_id = $1 AND status = 'pending' AND kind = 'correction_lapsed'`, [c.id]);
    expect((await lapse()).map((r) => r.dedupe_key)).toEqual([expect.stringContaining(ends)]);
    const load = await t.http().put('/api/v1/calendar/years/2027').set(bearer(org.people.admin)).send({ off: ['2027-01-01', '2027-01-04'], work: [], notices: ['测试用安排（二）'] });
    expect(load.status).toBe(200);
    // 2027-01-01 and 01-04 off: the period now ends 2027-01-11, and the reminder follows it
    const keys = await eventually(async () => {
      const r = (await lapse()).map((x) => x.dedupe_key);
      return r.length === 1 && r[0].includes('2027-01-11') ? r : null;
    }, 20_000, 'the lapse reminder planned again');
    expect(keys).toHaveLength(1);
    // nothing in the case changed: no history row, no new version
    const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items as { action: string }[];
    expect(h.map((x) => x.action)).not.toContain('recompute-deadline');
    expect((await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk))).body.version).toBe(asked.body.version);
  });
});
