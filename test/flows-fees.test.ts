/**
 * Fees, finished, over HTTP: the quote at every band edge of both tariffs; the applicant's position counted in
 * the calendar month of the receipt date (Asia/Shanghai), by receipt date then logging time, across channels;
 * the basis recorded with the notice; the payment's amount checked against the notice's; bad input.
 */
import { perItemFee } from '../src/statute/fee-tariff';
import { act, applicationBody, intake, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const NOW = '2024-11-30T02:00:00Z'; // Saturday 10:00 in Shanghai
const X = residentId('21110219800101001'); // the applicant counted
const Y = residentId('21110219800101002'); // someone else

describe('flows: fees (quote, basis, payment)', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  let clerk: Person;
  let ip = 0;
  /** X's November cases at dept, in the order the tariff counts them */
  let november: { id: string; receiptDate: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    org = await seedOrg(t);
    P = org.people;
    clerk = P['dept.clerk'];
  }, 120_000);
  afterAll(async () => t?.close());

  const quote = (p: Person, id: string, q: string) => t.http().get(`/api/v1/cases/${id}/fee-quote?${q}`).set(bearer(p));
  async function portalCase(agencyId: string, idNumber: string) {
    const r = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', `198.51.100.${++ip}`).send(applicationBody({ agencyId }, { idNumber }));
    expect(r.status).toBe(201);
    return (await t.ds.query(`SELECT id, version FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]))[0] as { id: string; version: number };
  }

  it('counts the applicant’s applications of the month across channels, by receipt date then logging time', async () => {
    // 40 applications of X logged at dept out of receipt-date order, over four channels
    const channels = ['in_person', 'email', 'registered_post', 'ordinary_letter', 'fax'];
    const logged: { id: string; receiptDate: string; n: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const day = 1 + ((i * 7) % 29); // 1..29, each day at most twice, shuffled
      const receiptDate = `2024-11-${String(day).padStart(2, '0')}`;
      const r = await t.http().post('/api/v1/cases').set(bearer(clerk)).send({ ...applicationBody({}, { idNumber: X }), channel: channels[i % channels.length], receiptDate });
      expect(r.status).toBe(201);
      logged.push({ id: r.body.id, receiptDate, n: i });
    }
    // a portal submission confirmed in November counts too (every channel) ...
    t.clock.set('2024-11-14T02:00:00Z'); // submitted mid-month, confirmed (logged) after all the others
    const online = await portalCase(org.dept, X);
    t.clock.set(NOW);
    const confirmed = await act(t, clerk, online.id, 'confirm-receipt', { on: '2024-11-15' });
    expect(confirmed.status).toBe(200);
    logged.push({ id: online.id, receiptDate: '2024-11-15', n: 40 });
    // ... and these do not: an unconfirmed or discarded submission, October and December, another agency, another applicant
    await portalCase(org.dept, X);
    const dropped = await portalCase(org.dept, X);
    expect((await act(t, clerk, dropped.id, 'discard', { reason: '重复提交' })).status).toBe(200);
    await intake(t, clerk, '2024-10-31', {}, { idNumber: X });
    await intake(t, P['district.clerk'], '2024-11-10', {}, { idNumber: X });
    await intake(t, clerk, '2024-11-10', {}, { idNumber: Y });

    november = [...logged].sort((a, b) => (a.receiptDate === b.receiptDate ? a.n - b.n : a.receiptDate < b.receiptDate ? -1 : 1));
    expect(november).toHaveLength(41);
    // every position is told as the tariff counts it
    for (let i = 0; i < november.length; i++) {
      const r = await quote(clerk, november[i].id, 'tariff=per_item');
      expect([i + 1, r.status, r.body.position, r.body.amount, r.body.month]).toEqual([i + 1, 200, i + 1, perItemFee(i + 1), '2024-11']);
    }
  }, 300_000);

  it('per item at every band edge: 10/11, 30/31, 40/41', async () => {
    const want: [number, number, { from: number; to: number | null; yuan: number }][] = [
      [10, 0, { from: 1, to: 10, yuan: 0 }],
      [11, 100, { from: 11, to: 30, yuan: 100 }],
      [30, 100, { from: 11, to: 30, yuan: 100 }],
      [31, 200, { from: 31, to: 40, yuan: 200 }],
      [40, 200, { from: 31, to: 40, yuan: 200 }],
      [41, 300, { from: 41, to: 50, yuan: 300 }],
    ];
    for (const [position, amount, band] of want) {
      const r = await quote(clerk, november[position - 1].id, 'tariff=per_item');
      expect(r.body).toEqual({ tariff: 'per_item', amount, position, pages: null, band, breakdown: [], wording: expect.stringContaining('11—30件（含30件）的部分：100元/件'), month: '2024-11' });
    }
  });

  it('per page at every band edge: 30/31, 100/101, 200/201', async () => {
    const id = november[0].id;
    const want: [number, number, number | null][] = [
      [0, 0, null],
      [30, 0, 1],
      [31, 10, 31],
      [100, 700, 31],
      [101, 720, 101],
      [200, 2700, 101],
      [201, 2740, 201],
    ];
    for (const [pages, amount, from] of want) {
      const r = await quote(clerk, id, `tariff=per_page&pages=${pages}`);
      expect([pages, r.status, r.body.amount, r.body.band?.from ?? null, r.body.position, r.body.pages]).toEqual([pages, 200, amount, from, null, pages]);
      expect(r.body.wording).toContain('201页以上的部分：40元/页');
    }
    const r = await quote(clerk, id, 'tariff=per_page&pages=150');
    expect(r.body.breakdown).toEqual([
      { from: 1, to: 30, yuan: 0, pages: 30, amount: 0 },
      { from: 31, to: 100, yuan: 10, pages: 70, amount: 700 },
      { from: 101, to: 200, yuan: 20, pages: 50, amount: 1000 },
    ]);
    // a supervisor of the agency above reads the quote too
    expect((await quote(P['city.supervisor'], id, 'tariff=per_page&pages=150')).body.amount).toBe(1700);
  });

  it('refuses bad input, another agency’s case, an admin, an unconfirmed submission', async () => {
    const id = november[0].id;
    for (const q of ['tariff=per_page&pages=-1', 'tariff=per_page&pages=1000001', 'tariff=per_page&pages=1.5', 'tariff=per_page&pages=abc', 'tariff=per_page', 'tariff=per_weight&pages=3', 'pages=3', '', 'tariff=per_item&pages=3', 'tariff=per_page&pages=3&extra=1']) {
      const r = await quote(clerk, id, q);
      expect([q, r.status, r.body.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
      expect(r.body.details.fields.length).toBeGreaterThan(0);
    }
    for (const who of ['other.clerk', 'district.supervisor', 'city.clerk']) {
      const r = await quote(P[who], id, 'tariff=per_item');
      expect([who, r.status, r.body.code]).toEqual([who, 404, 'NOT_FOUND']);
    }
    expect((await quote(P.admin, id, 'tariff=per_item')).status).toBe(403);
    const unconfirmed = await portalCase(org.dept, Y);
    const r = await quote(clerk, unconfirmed.id, 'tariff=per_item');
    expect([r.status, r.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
    expect((await quote(clerk, '00000000-0000-4000-8000-000000000000', 'tariff=per_item')).status).toBe(404);
  });

  it('the notice charges what the quote said and records its basis; the payment must be the notice’s amount', async () => {
    const c = november[34]; // the 35th of the month: 200 yuan (fees.md's worked example)
    const q = await quote(clerk, c.id, 'tariff=per_item');
    expect(q.body).toMatchObject({ position: 35, amount: 200 });
    const basis = '申请人本月已提出申请35件，数量明显超过合理范围';
    const n = await act(t, clerk, c.id, 'notify-fee', { on: '2024-11-29', tariff: 'per_item', basis });
    expect(n.status).toBe(200);
    expect(n.body.fee).toMatchObject({ tariff: 'per_item', nth: 35, amount: 200, basis, paidAmount: null });
    const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items.at(-1);
    expect(h.payload).toMatchObject({ tariff: 'per_item', nth: 35, amount: 200, basis });
    const tooLong = await act(t, clerk, november[36].id, 'notify-fee', { on: '2024-11-29', tariff: 'per_item', basis: 'x'.repeat(2001) });
    expect([tooLong.status, tooLong.body.details.fields[0].field]).toEqual([400, 'basis']);

    // a payment that is not the notice's amount: 400, nothing written
    const before = n.body.version;
    for (const amount of [199, 200.01, 0, -200, '200']) {
      const r = await act(t, clerk, c.id, 'record-payment', { on: '2024-11-30', receiptNumber: '辽非税（2024）00000001', amount }, before);
      expect([amount, r.status, r.body.code]).toEqual([amount, 400, 'VALIDATION_FAILED']);
      expect(r.body.details.fields[0].field).toBe('amount');
    }
    const missing = await act(t, clerk, c.id, 'record-payment', { on: '2024-11-30', receiptNumber: '辽非税（2024）00000001' }, before);
    expect([missing.status, missing.body.details.fields[0].field]).toEqual([400, 'amount']);
    const still = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk));
    expect([still.body.version, still.body.state]).toEqual([before, 'awaiting_fee']);

    const paid = await act(t, clerk, c.id, 'record-payment', { on: '2024-11-30', receiptNumber: '辽非税（2024）00000001', amount: 200 }, before);
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('in_progress');
    expect(paid.body.fee).toMatchObject({ amount: 200, paidAmount: 200, paidOn: '2024-11-30', receiptNumber: '辽非税（2024）00000001', basis });
    // per page: the amount of a notice of 150 pages is 1,700, paid as 1700.00
    const d = november[1];
    const m = await act(t, clerk, d.id, 'notify-fee', { on: '2024-11-29', tariff: 'per_page', pages: 150, basis: '申请提供的材料共150页' });
    expect(m.body.fee.amount).toBe(1700);
    expect((await act(t, clerk, d.id, 'record-payment', { on: '2024-11-30', receiptNumber: 'R2', amount: 1700.0 })).status).toBe(200);
  });

  it('counts by the Shanghai calendar month of the receipt date, across a month boundary', async () => {
    // 23:50 on 30 November in Shanghai (15:50 UTC): submitted and confirmed the same day, the last of November
    t.clock.set('2024-11-30T15:50:00Z');
    const late = await portalCase(org.dept, X);
    const ok1 = await act(t, { ...clerk, token: await token(clerk) }, late.id, 'confirm-receipt', {});
    expect(ok1.body.receiptDate).toBe('2024-11-30');
    expect((await quote({ ...clerk, token: await token(clerk) }, late.id, 'tariff=per_item')).body).toMatchObject({ position: 42, amount: 300, month: '2024-11' });
    // 00:30 on 1 December in Shanghai (16:30 UTC on 30 November): the first of December
    t.clock.set('2024-11-30T16:30:00Z');
    const next = await portalCase(org.dept, X);
    const ok2 = await act(t, { ...clerk, token: await token(clerk) }, next.id, 'confirm-receipt', {});
    expect(ok2.body.receiptDate).toBe('2024-12-01');
    expect((await quote({ ...clerk, token: await token(clerk) }, next.id, 'tariff=per_item')).body).toMatchObject({ position: 1, amount: 0, month: '2024-12' });
  });

  async function token(p: Person): Promise<string> {
    const r = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
    return r.body.accessToken;
  }
});
