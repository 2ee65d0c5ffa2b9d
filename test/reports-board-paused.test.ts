/**
 * The deadline board's paused cases: the query leaves out the consulting cases that cannot be due by the horizon
 * (pausedReceiptCutoff, pausedMinDaysBeforePause); whatever `within`, the board shows exactly the paused cases whose
 * deadline if resumed today (as the case itself reports it) falls by the horizon. Today is Wednesday 2025-01-15.
 */
import { act as actWith, intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';

jest.setTimeout(300_000);

describe('deadline board: paused cases under the query’s cut-offs', () => {
  let t: TestApp;
  let clerk: Person;
  let sup: Person;
  const ids: string[] = [];

  const ok = async (id: string, action: string, body: Record<string, unknown>, p: Person = clerk) => {
    const r = await actWith(t, p, id, action, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const consulting = async (receipt: string, steps: (id: string) => Promise<void>) => {
    const c = await intake(t, clerk, receipt);
    await steps(c.id);
    ids.push(c.id);
  };
  const consult = (id: string, on: string) => ok(id, 'consult', { on, party: 'other_agency', name: '测试市财政局' });

  beforeAll(async () => {
    t = await createTestApp({ now: '2025-01-15T02:00:00Z' });
    const org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
    await consulting('2024-12-10', (id) => consult(id, '2024-12-12')); // paused early: most of the period left
    await consulting('2024-12-10', (id) => consult(id, '2025-01-06'));
    await consulting('2024-12-02', (id) => consult(id, '2024-12-20'));
    await consulting('2024-11-20', (id) => consult(id, '2024-12-18')); // nearly the whole period used
    await consulting('2025-01-13', (id) => consult(id, '2025-01-14')); // received two days ago
    await consulting('2024-12-16', async (id) => {
      // the clock starts again on the corrected application's receipt
      await ok(id, 'request-correction', { on: '2024-12-16', items: ['请明确所需信息的名称'] });
      await ok(id, 'record-correction', { on: '2024-12-20', content: '补正：所需信息为……' });
      await consult(id, '2025-01-10');
    });
    await consulting('2024-11-25', async (id) => {
      // an earlier consultation closed, the current one opened late
      await consult(id, '2024-11-27');
      await ok(id, 'end-consultation', { on: '2024-12-20', opinion: 'consent' });
      await consult(id, '2025-01-08');
    });
  });
  afterAll(async () => t?.close());

  it('shows exactly the paused cases due by the horizon if resumed today, for every `within`', async () => {
    const views = await Promise.all(ids.map(async (id) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(clerk))).body as { id: string; deadline: { paused: boolean; dueIfResumedToday: string | null } }));
    expect(views.every((v) => v.deadline.paused)).toBe(true);
    const sizes = new Set<number>();
    for (const within of [0, 1, 3, 5, 8, 10, 12, 15, 19, 20, 25, 60]) {
      const r = await t.http().get(`/api/v1/reports/deadlines?within=${within}&includeSubAgencies=false`).set(bearer(sup));
      expect(r.status).toBe(200);
      const shown = (r.body.items as { id: string; paused: boolean }[]).filter((i) => i.paused).map((i) => i.id).sort();
      const expected = views.filter((v) => v.deadline.dueIfResumedToday! <= r.body.horizon).map((v) => v.id).sort();
      expect([within, shown]).toEqual([within, expected]);
      sizes.add(expected.length);
    }
    // the cut-offs were put to work: some windows hold some of the cases, the widest all of them
    expect(sizes.size).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBe(ids.length);
  });
});
