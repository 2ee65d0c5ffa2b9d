/**
 * Compare-and-set on the case version: of many conflicting actions decided on the same
 * version exactly one wins; the others get 409 CASE_VERSION_CONFLICT and write nothing.
 */
import { intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const N = 50;

describe('cases: concurrent actions', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-10-08T02:00:00Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
  });
  afterAll(async () => t?.close());

  const historyOf = async (id: string) => (await t.http().get(`/api/v1/cases/${id}/history`).set(bearer(sup))).body.items as { action: string }[];
  const get = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(sup))).body;

  async function race(id: string, version: number, send: (i: number) => Promise<{ status: number; body: { code?: string; version?: number } }>) {
    const before = await historyOf(id);
    const results = await Promise.all(Array.from({ length: N }, (_, i) => send(i)));
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(won[0].body.version).toBe(version + 1);
    expect(lost.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array(N - 1).fill('409 CASE_VERSION_CONFLICT'));
    const after = await get(id);
    expect(after.version).toBe(version + 1);
    const history = await historyOf(id);
    expect(history).toHaveLength(before.length + 1);
    return { winner: won[0], after, history };
  }

  it(`${N} parallel assign with one expectedVersion: one winner, ${N - 1} conflicts, one history row`, async () => {
    const c = await intake(t, clerk, '2024-09-27');
    const { winner, after, history } = await race(c.id, c.version, () =>
      t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).send({ expectedVersion: c.version, assigneeId: clerk.id }),
    );
    expect(winner.body).toMatchObject({ assigneeId: clerk.id });
    expect(after.assigneeId).toBe(clerk.id);
    expect(history.filter((h) => h.action === 'assign')).toHaveLength(1);
  });

  it(`${N} parallel draft-reply with different outcomes: the winner’s draft is the one kept`, async () => {
    const c = await intake(t, clerk, '2024-09-27');
    const outcomes = ['granted', 'granted.proactive', 'unavailable.needs_creation'];
    const reasons = (i: number) => `第${i}份答复草稿的理由`;
    const { winner, after, history } = await race(c.id, c.version, (i) =>
      t
        .http()
        .post(`/api/v1/cases/${c.id}/draft-reply`)
        .set(bearer(i % 2 ? clerk : sup))
        .send({ expectedVersion: c.version, outcome: outcomes[i % outcomes.length], reasons: reasons(i) }),
    );
    expect(after.state).toBe('reply_review');
    expect(after.replyDraft).toEqual((winner.body as { replyDraft: unknown }).replyDraft);
    expect(history[history.length - 1].action).toBe('draft-reply');
  });

  it(`${N} parallel different actions (consult, notify-fee, request-correction, withdraw) on one version: exactly one applies`, async () => {
    const c = await intake(t, clerk, '2024-09-27');
    const bodies: [string, Record<string, unknown>][] = [
      ['consult', { on: '2024-10-08', party: 'third_party', name: '某有限公司' }],
      ['notify-fee', { on: '2024-10-08', tariff: 'per_page', pages: 200 }],
      ['request-correction', { on: '2024-10-08', items: ['请明确所需信息'] }],
      ['withdraw', { on: '2024-10-08', reason: '申请人撤回' }],
    ];
    const { winner, after } = await race(c.id, c.version, (i) => {
      const [action, body] = bodies[i % bodies.length];
      return t.http().post(`/api/v1/cases/${c.id}/${action}`).set(bearer(clerk)).send({ expectedVersion: c.version, ...body });
    });
    expect(['consulting', 'awaiting_fee', 'awaiting_correction', 'concluded']).toContain(after.state);
    expect((winner.body as { state: string }).state).toBe(after.state);
    const rows: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM case_history WHERE case_id = $1`, [c.id]);
    expect(rows[0].n).toBe(2);
  });

  it('a stale expectedVersion is 409 CASE_VERSION_CONFLICT with the current version, writing nothing', async () => {
    const c = await intake(t, clerk, '2024-09-27');
    const first = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).send({ expectedVersion: c.version, assigneeId: clerk.id });
    expect(first.status).toBe(200);
    const stale = await t.http().post(`/api/v1/cases/${c.id}/draft-reply`).set(bearer(clerk)).send({ expectedVersion: c.version, outcome: 'granted', reasons: '现予公开' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CASE_VERSION_CONFLICT');
    expect(stale.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(stale.body.details.currentVersion).toBe(c.version + 1);
    const ahead = await t.http().post(`/api/v1/cases/${c.id}/draft-reply`).set(bearer(clerk)).send({ expectedVersion: c.version + 5, outcome: 'granted', reasons: '现予公开' });
    expect([ahead.status, ahead.body.code]).toEqual([409, 'CASE_VERSION_CONFLICT']);
    const now = await get(c.id);
    expect(now).toMatchObject({ version: c.version + 1, state: 'in_progress', replyDraft: null });
    expect(await historyOf(c.id)).toHaveLength(2);
  });

  it('If-Match carries the version (3, "3", W/"3"); a stale one conflicts; a malformed one is 400', async () => {
    const c = await intake(t, clerk, '2024-09-27');
    let v = c.version;
    for (const form of [(n: number) => String(n), (n: number) => `"${n}"`, (n: number) => `W/"${n}"`]) {
      const r = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).set('If-Match', form(v)).send({ assigneeId: clerk.id });
      expect([form(v), r.status]).toEqual([form(v), 200]);
      expect(r.body.version).toBe(v + 1);
      v = r.body.version;
    }
    const stale = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).set('If-Match', `"${v - 1}"`).send({ assigneeId: clerk.id });
    expect([stale.status, stale.body.code]).toEqual([409, 'CASE_VERSION_CONFLICT']);
    const bad = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).set('If-Match', 'abc').send({ assigneeId: clerk.id });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.details.fields[0].field).toBe('If-Match');
    expect((await get(c.id)).version).toBe(v);
  });

  it('a missing version is 400 naming expectedVersion; a non-integer one too', async () => {
    const c = await intake(t, clerk, '2024-09-27');
    const none = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).send({ assigneeId: clerk.id });
    expect([none.status, none.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(none.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['expectedVersion']);
    expect(none.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const str = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).send({ assigneeId: clerk.id, expectedVersion: '1' });
    expect([str.status, str.body.details.fields[0].field]).toEqual([400, 'expectedVersion']);
    const zero = await t.http().post(`/api/v1/cases/${c.id}/assign`).set(bearer(sup)).send({ assigneeId: clerk.id, expectedVersion: 0 });
    expect([zero.status, zero.body.details.fields[0].field]).toEqual([400, 'expectedVersion']);
    expect((await get(c.id)).version).toBe(c.version);
    expect(await historyOf(c.id)).toHaveLength(1);
  });
});
