import { act, intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

describe('cases: a case from intake to reply', () => {
  let t: TestApp;
  let org: TestOrg;
  beforeAll(async () => {
    t = await createTestApp({ now: '2024-11-20T02:00:00Z' });
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  it('logs, drafts, approves and issues a reply', async () => {
    const clerk = org.people['dept.clerk'];
    const sup = org.people['dept.supervisor'];
    const c = await intake(t, clerk, '2024-09-27');
    expect(c.state).toBe('in_progress');
    expect(c.deadline).toMatchObject({ due: '2024-10-30', paused: false, overdue: true });
    expect(c.queryCode).toMatch(/^[A-Z2-9]{12}$/);
    expect(JSON.stringify(c)).not.toContain('11010519491231002');
    let r = await act(t, clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '现予公开' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('reply_review');
    r = await act(t, sup, c.id, 'approve-reply', { confidentialityReviewed: true });
    expect(r.body.state).toBe('reply_approved');
    r = await act(t, clerk, c.id, 'issue-reply', { on: '2024-10-29' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'concluded', outcome: 'granted', concludedOn: '2024-10-29' });
    expect(r.body.deadline.overdue).toBe(false);
    const h = await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(sup));
    expect(h.body.items.map((x: { action: string }) => x.action)).toEqual(['intake', 'draft-reply', 'approve-reply', 'issue-reply']);
  });
});
