/**
 * The operational reports through the HTTP API on a real database: the performance figures on a hand-built fixture
 * (expected numbers counted by hand below), the deadline board (order, paging, `within`, scope, XLSX read back),
 * bad input. Today is Wednesday 2025-01-15 (official 2024 and 2025 arrangements).
 *
 * The fixture (the deadlines worked out by hand on the official calendar):
 *   dept  A  natural_person, in_person  received 2024-03-01, due 2024-03-29, replied 2024-03-15: 10 working days, on time
 *   dept  B  commercial, email          received 2024-05-06, due 2024-05-31, replied 2024-06-20: 33 working days, late
 *   dept  C  natural_person             received 2024-12-02, due 2024-12-30, open: 11 working days overdue
 *   dept  D  natural_person             received 2024-06-03, fee notice 06-05 (150 pages: 1,700 yuan), paid 06-12
 *                                       (4 working days paused), due 2024-07-08, replied 06-28: 14 working days
 *   dept  G                             received 2024-12-20, due 2025-01-20, open: 3 working days left
 *   dept  H                             received 2025-01-10, due 2025-02-13, open
 *   dept  J                             received 2024-12-18, consulting since 2025-01-06: 12 days used, 8 left,
 *                                       due if resumed today 2025-01-26 (an adjusted Sunday)
 *   dept  K                             received 2024-12-16, correction asked 12-17 within 5 days: lapsed after 12-24
 *   dept  L                             a portal submission not yet confirmed
 *   district E  research                received 2024-07-01, due 2024-07-29, replied 2024-07-10: 7 working days
 *   district M                          received 2025-01-02, due 2025-02-06, open
 *   other F                             received and replied in 2024: never counted for the city
 *   reviews: A reconsideration filed 2024-04-01 corrected 05-10; B reconsideration filed 07-01 upheld 08-01;
 *            E direct litigation filed 08-01, pending
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import { act as actWith, intake } from './support/cases';
import { applicationBody } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(300_000);

describe('reports: performance figures and the deadline board', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  const ids: Record<string, string> = {};
  const tracking: Record<string, string> = {};

  const ok = async (p: Person, id: string, action: string, body: Record<string, unknown>) => {
    const r = await actWith(t, p, id, action, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const reply = async (p: Person, sup: Person, id: string, on: string) => {
    await ok(p, id, 'draft-reply', { outcome: 'granted', reasons: '经查，现予公开' });
    await ok(sup, id, 'approve-reply', { confidentialityReviewed: true });
    await ok(p, id, 'issue-reply', { on });
  };
  const make = async (key: string, p: Person, receipt: string, over: Record<string, unknown> = {}, applicant: Record<string, unknown> = {}) => {
    const c = await intake(t, p, receipt, over, applicant);
    ids[key] = c.id;
    tracking[key] = c.trackingNumber;
    return c.id;
  };

  beforeAll(async () => {
    t = await createTestApp({ now: '2025-01-15T02:00:00Z' });
    org = await seedOrg(t);
    P = org.people;
    // a reply letter names the reconsideration body and the court (LETTER_DATA_MISSING otherwise)
    await t.ds.query(`UPDATE agencies SET reconsideration_body = '测试市人民政府', court = '测试市中级人民法院' WHERE id = ANY($1::uuid[])`, [[org.district, org.other]]);
    const clerk = P['dept.clerk'];
    const sup = P['dept.supervisor'];
    await reply(clerk, sup, await make('A', clerk, '2024-03-01'), '2024-03-15');
    await reply(clerk, sup, await make('B', clerk, '2024-05-06', {}, { type: 'commercial', name: '某科技有限公司', idType: 'uscc', idNumber: '91110000802100433B' }), '2024-06-20');
    await make('C', clerk, '2024-12-02');
    await ok(sup, ids.C, 'assign', { assigneeId: clerk.id });
    const d = await make('D', clerk, '2024-06-03');
    await ok(clerk, d, 'notify-fee', { on: '2024-06-05', tariff: 'per_page', pages: 150 });
    await ok(clerk, d, 'record-payment', { on: '2024-06-12', receiptNumber: 'JK-2024-0001', amount: 1700 });
    await reply(clerk, sup, d, '2024-06-28');
    await make('G', clerk, '2024-12-20');
    await make('H', clerk, '2025-01-10');
    await ok(clerk, await make('J', clerk, '2024-12-18'), 'consult', { on: '2025-01-06', party: 'other_agency', name: '测试市财政局' });
    await ok(clerk, await make('K', clerk, '2024-12-16'), 'request-correction', { on: '2024-12-17', items: ['请写明所需信息的名称'], periodDays: 5 });
    const l = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.16').send(applicationBody({ agencyId: org.dept }));
    expect(l.status).toBe(201);
    tracking.L = l.body.trackingNumber;
    const dc = P['district.clerk'];
    await reply(dc, P['district.supervisor'], await make('E', dc, '2024-07-01', {}, { type: 'research', name: '某研究所', idType: 'uscc', idNumber: '12100000400000624D' }), '2024-07-10');
    await make('M', dc, '2025-01-02');
    await reply(P['other.clerk'], P['other.supervisor'], await make('F', P['other.clerk'], '2024-03-01'), '2024-03-05');
    await ok(clerk, ids.A, 'record-review', { kind: 'reconsideration', filedOn: '2024-04-01', result: 'corrected', concludedOn: '2024-05-10' });
    await ok(clerk, ids.B, 'record-review', { kind: 'reconsideration', filedOn: '2024-07-01', result: 'upheld', concludedOn: '2024-08-01' });
    await ok(dc, ids.E, 'record-review', { kind: 'litigation_direct', filedOn: '2024-08-01' });
  });
  afterAll(async () => t?.close());

  const get = (p: Person, path: string) => t.http().get(path).set(bearer(p));
  const figures = (p: Person, qs: string) => get(p, `/api/v1/reports/performance?${qs}`);
  const board = (p: Person, qs = '') => get(p, `/api/v1/reports/deadlines?${qs}`);

  describe('performance figures', () => {
    it('one agency for 2024, as counted by hand', async () => {
      const r = await figures(P['dept.supervisor'], 'from=2024-01-01&to=2024-12-31');
      expect(r.status).toBe(200);
      const f = r.body.figures;
      expect([r.body.from, r.body.to, r.body.asOf, r.body.agency.name, r.body.includeSubAgencies]).toEqual(['2024-01-01', '2024-12-31', '2025-01-15', '测试市教育局', false]);
      // due in 2024: A, B, C, D; replied by today: A, B, D
      expect(f.replyRate).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75 });
      // concluded in 2024 with a deadline: A on time, B late, D on time
      expect(f.onTimeRate).toMatchObject({ numerator: 2, denominator: 3, rate: 0.6667 });
      expect(f.overdueOpen.count).toBe(1);
      // 10, 14, 33 working days: median the 2nd, 90th percentile the 3rd
      expect(f.timeToReply).toMatchObject({ count: 3, median: 14, p90: 33 });
      expect(f.reviewCorrectionRate).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 });
      expect(f.feesCollected).toMatchObject({ cases: 1, amount: 1700 });
      for (const v of Object.values(f)) expect((v as { definition: string }).definition).toMatch(/^[\u4e00-\u9fa5]+：/);
      expect(r.body.overdueCases).toEqual([{ id: ids.C, trackingNumber: tracking.C, agencyId: org.dept, state: 'in_progress', due: '2024-12-30', workingDaysOverdue: 11 }]);
      expect([r.body.by, r.body.groups]).toEqual([null, []]);
    });

    it('with sub-agencies, and an earlier as-of date', async () => {
      const r = await figures(P['city.auditor'], `agencyId=${org.city}&includeSubAgencies=true&from=2024-01-01&to=2024-12-31`);
      expect(r.status).toBe(200);
      const f = r.body.figures;
      // + district E (due 07-29, replied 07-10); the other city's F never
      expect(f.replyRate).toMatchObject({ numerator: 4, denominator: 5 });
      expect(f.onTimeRate).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75 });
      expect(f.timeToReply).toMatchObject({ count: 4, median: 10, p90: 33 });
      // as of 2024-06-15: B (due 05-31) was open and overdue; D not yet due; the reconsiderations not yet decided
      const early = await figures(P['city.auditor'], `agencyId=${org.city}&includeSubAgencies=true&from=2024-01-01&to=2024-06-15&asOf=2024-06-15`);
      expect(early.body.figures.replyRate).toMatchObject({ numerator: 1, denominator: 2 });
      expect(early.body.figures.overdueOpen.count).toBe(1);
      expect(early.body.overdueCases.map((c: { id: string }) => c.id)).toEqual([ids.B]);
      expect(early.body.figures.reviewCorrectionRate).toMatchObject({ numerator: 1, denominator: 1 });
      expect(early.body.figures.feesCollected).toMatchObject({ cases: 1, amount: 1700 });
    });

    it('by agency: every agency below the one asked for, ranked', async () => {
      const r = await figures(P['city.supervisor'], 'from=2024-01-01&to=2024-12-31&by=agency');
      expect(r.status).toBe(200);
      expect(r.body.groups.map((g: { label: string; rank: number; figures: { onTimeRate: { rate: number } } }) => [g.label, g.rank, g.figures.onTimeRate.rate])).toEqual([
        ['测试区人民政府', 1, 1],
        ['测试市教育局', 2, 0.6667],
      ]);
      // the city's own figures: its own cases only (none)
      expect(r.body.figures.replyRate).toMatchObject({ numerator: 0, denominator: 0, rate: null });
    });

    it('by applicant type, channel and month', async () => {
      const types = await figures(P['dept.supervisor'], 'from=2024-01-01&to=2024-12-31&by=applicantType');
      const row = (b: { groups: { key: string; label: string; figures: { onTimeRate: { numerator: number; denominator: number } } }[] }, k: string) => b.groups.find((g) => g.key === k)!;
      expect(types.body.groups).toHaveLength(6);
      expect(row(types.body, 'commercial')).toMatchObject({ label: '商业企业', figures: { onTimeRate: { numerator: 0, denominator: 1 } } });
      expect(row(types.body, 'natural_person').figures.onTimeRate).toMatchObject({ numerator: 2, denominator: 2 });
      const months = await figures(P['dept.supervisor'], 'from=2024-01-01&to=2024-12-31&by=month');
      expect(months.body.groups.map((g: { key: string }) => g.key)).toEqual(Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`));
      const june = months.body.groups[5];
      // concluded in June: B (late) and D (on time); the fee paid in June
      expect([june.label, june.figures.onTimeRate.numerator, june.figures.onTimeRate.denominator, june.figures.feesCollected.amount]).toEqual(['2024年6月', 1, 2, 1700]);
      // C's deadline fell in December: overdue, by the month of its deadline
      expect(months.body.groups[11].figures.overdueOpen.count).toBe(1);
      const channels = await figures(P['dept.supervisor'], 'from=2024-01-01&to=2024-12-31&by=channel');
      expect(channels.body.groups.map((g: { key: string }) => g.key)).toEqual(['in_person', 'registered_post', 'ordinary_letter', 'email', 'online', 'fax']);
    });

    it('who may read them: supervisors and auditors in their tree; not clerks, admins or another city', async () => {
      expect((await figures(P['dept.clerk'], '')).status).toBe(403);
      expect((await figures(P.admin, '')).status).toBe(403);
      const foreign = await figures(P['other.supervisor'], `agencyId=${org.dept}`);
      expect([foreign.status, foreign.body.code]).toEqual([403, 'FORBIDDEN']);
      const up = await figures(P['dept.supervisor'], `agencyId=${org.city}`);
      expect([up.status, up.body.code]).toEqual([403, 'FORBIDDEN']);
      const unknown = await figures(P['city.supervisor'], 'agencyId=00000000-0000-4000-8000-000000000000');
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
      expect((await t.http().get('/api/v1/reports/performance')).status).toBe(401);
    });

    it.each([
      ['from=2024-13-01', 'from'],
      ['from=2024-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['from=2024-06-01&to=2024-05-31', 'from'],
      ['asOf=2025-01-16', 'asOf'],
      ['from=2010-01-01&to=2024-12-31', 'to'],
      ['by=district', 'by'],
      ['agencyId=nope', 'agencyId'],
      ['includeSubAgencies=yes', 'includeSubAgencies'],
    ])('refuses %s (400 naming %s)', async (qs, field) => {
      const r = await figures(P['dept.supervisor'], qs);
      expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(r.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });
  });

  it('the OpenAPI document describes both responses with their DTOs', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    const ok200 = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema.$ref;
    expect(ok200('/api/v1/reports/performance')).toBe('#/components/schemas/PerformanceDto');
    expect(ok200('/api/v1/reports/deadlines')).toBe('#/components/schemas/DeadlineBoardDto');
    const s = doc.components.schemas;
    expect(Object.keys(s.PerformanceFiguresDto.properties)).toEqual(['replyRate', 'onTimeRate', 'overdueOpen', 'timeToReply', 'reviewCorrectionRate', 'feesCollected']);
    expect(s.RatioDto.properties.rate).toMatchObject({ type: 'number', nullable: true });
    expect(s.BoardItemDto.required).toEqual(expect.arrayContaining(['due', 'workingDaysLeft', 'paused', 'provisional', 'assignee']));
    expect(doc.paths['/api/v1/reports/deadlines'].get.parameters.find((p: { name: string }) => p.name === 'within').schema).toMatchObject({ minimum: 0, maximum: 60 });
  });

  describe('deadline board', () => {
    const keysOf = (items: { id: string }[]) => items.map((i) => Object.entries(ids).find(([, v]) => v === i.id)?.[0] ?? i.id);

    it('due within 5 working days and overdue, the most urgent first, with the side lists', async () => {
      const r = await board(P['dept.supervisor']);
      expect(r.status).toBe(200);
      expect([r.body.today, r.body.within, r.body.horizon, r.body.includeSubAgencies]).toEqual(['2025-01-15', 5, '2025-01-22', true]);
      expect(keysOf(r.body.items)).toEqual(['C', 'G']);
      const [c, g] = r.body.items;
      expect(c).toMatchObject({ trackingNumber: tracking.C, agencyName: '测试市教育局', state: 'in_progress', stateLabel: expect.any(String), due: '2024-12-30', workingDaysLeft: -11, overdue: true, paused: false, provisional: false });
      expect(c.assignee).toEqual({ id: P['dept.clerk'].id, name: '测试dept.clerk' });
      expect(g).toMatchObject({ due: '2025-01-20', workingDaysLeft: 3, overdue: false, paused: false, assignee: null });
      expect(r.body.lapsed).toEqual([{ id: ids.K, trackingNumber: tracking.K, agencyId: org.dept, agencyName: '测试市教育局', state: 'awaiting_correction', reason: 'correction', periodEnded: '2024-12-24', assignee: null }]);
      expect(r.body.awaitingConfirmation).toHaveLength(1);
      expect(r.body.awaitingConfirmation[0]).toMatchObject({ trackingNumber: tracking.L, channel: 'online', workingDaysWaiting: 0 });
      expect(r.body.nextCursor).toBeNull();
    });

    it('within bounds: 0 is today and overdue; 60 reaches the paused case at the deadline it would have if resumed', async () => {
      const zero = await board(P['dept.supervisor'], 'within=0');
      expect([zero.body.horizon, keysOf(zero.body.items)]).toEqual(['2025-01-15', ['C']]);
      const wide = await board(P['dept.supervisor'], 'within=60');
      expect(keysOf(wide.body.items)).toEqual(['C', 'G', 'J', 'H']);
      expect(wide.body.items[2]).toMatchObject({ due: '2025-01-26', workingDaysLeft: 8, paused: true, overdue: false, state: 'consulting' });
      for (const bad of ['within=-1', 'within=61', 'within=five', 'within=2.5']) {
        const r = await board(P['dept.supervisor'], bad);
        expect([bad, r.status, r.body.code, r.body.details?.fields?.[0]?.field]).toEqual([bad, 400, 'VALIDATION_FAILED', 'within']);
      }
    });

    it('pages by cursor in the same order, across agencies', async () => {
      const whole = await board(P['city.supervisor'], 'within=60');
      expect(keysOf(whole.body.items)).toEqual(['C', 'G', 'J', 'M', 'H']);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const r = await board(P['city.supervisor'], `within=60&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        seen.push(...keysOf(r.body.items));
        cursor = r.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(['C', 'G', 'J', 'M', 'H']);
      const bad = await board(P['city.supervisor'], 'cursor=garbage');
      expect([bad.status, bad.body.details.fields[0].field]).toEqual([400, 'cursor']);
    });

    it('scope: a clerk their own agency only; supervisors and auditors theirs and below; no admin; no other city', async () => {
      const clerk = await board(P['dept.clerk'], 'within=60');
      expect([clerk.status, clerk.body.includeSubAgencies, keysOf(clerk.body.items)]).toEqual([200, false, ['C', 'G', 'J', 'H']]);
      expect((await board(P['dept.clerk'], `agencyId=${org.district}`)).status).toBe(403);
      expect((await board(P['dept.clerk'], 'includeSubAgencies=true')).status).toBe(403);
      expect((await board(P['city.clerk'], 'within=60')).body.items).toEqual([]);
      const auditor = await board(P['city.auditor'], `within=60&agencyId=${org.district}`);
      expect(keysOf(auditor.body.items)).toEqual(['M']);
      const cityOnly = await board(P['city.supervisor'], 'within=60&includeSubAgencies=false');
      expect(cityOnly.body.items).toEqual([]);
      const admin = await board(P.admin);
      expect([admin.status, admin.body.code]).toEqual([403, 'FORBIDDEN']);
      const foreign = await board(P['other.supervisor'], `agencyId=${org.dept}`);
      expect([foreign.status, foreign.body.code]).toEqual([403, 'FORBIDDEN']);
      expect(keysOf((await board(P['other.supervisor'], 'within=60')).body.items)).toEqual([]);
      const unknown = await board(P['city.supervisor'], 'agencyId=00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
    });

    it('prints as XLSX: the cases in board order, the lapsed ones, the submissions', async () => {
      const r = await board(P['city.supervisor'], 'within=60&format=xlsx')
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml');
      expect(r.headers['content-disposition']).toBe('attachment; filename="deadlines-2025-01-15.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.body as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['期限看板', '可办结', '待确认申请']);
      const s = wb.getWorksheet('期限看板')!;
      expect(s.getCell('A1').text).toContain('测试市人民政府办公室（含下级机关） 答复期限看板（2025-01-15，60个工作日内届满及已逾期）');
      expect(s.getRow(2).values).toEqual([undefined, '受理编号', '机关', '状态', '收到申请日', '答复期限', '剩余工作日', '逾期', '暂停计算', '暂定期限', '承办人']);
      const rows = [3, 4, 5, 6, 7].map((n) => s.getRow(n).getCell(1).value);
      expect(rows).toEqual(['C', 'G', 'J', 'M', 'H'].map((k) => tracking[k]));
      expect([s.getCell('E3').value, s.getCell('F3').value, s.getCell('G3').value, s.getCell('J3').value]).toEqual(['2024-12-30', -11, '是', '测试dept.clerk']);
      expect(s.getCell('H5').value).toBe('是');
      const lapsed = wb.getWorksheet('可办结')!;
      expect(lapsed.getRow(2).values).toEqual([undefined, tracking.K, '测试市教育局', '逾期未补正', '2024-12-24', '']);
      expect(wb.getWorksheet('待确认申请')!.getRow(2).getCell(1).value).toBe(tracking.L);
      // the Accept header asks for the same
      const viaAccept = await board(P['city.supervisor']).set('Accept', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(viaAccept.headers['content-type']).toContain('spreadsheetml');
    });
  });

  describe('the annual chart (图解)', () => {
    const binary = (req: ReturnType<TestApp['http']>['get'] extends (...a: never[]) => infer R ? R : never) =>
      req.buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const chart = (p: Person, qs: string) => binary(t.http().get(`/api/v1/reports/annual/chart?${qs}`).set(bearer(p)));

    /** The SVG parsed as XML (a strict parser: it throws on anything malformed); its texts in document order. */
    const textsOf = (svg: string) => {
      const texts: string[] = [];
      let root = '';
      const parser = new SaxesParser();
      parser.on('opentag', (tag) => (root ||= tag.name));
      parser.on('text', (x) => x.trim() && texts.push(x.trim()));
      parser.write(svg).close();
      return { root, texts };
    };

    it('SVG: the title, the months, the outcome groups with their counts, the monthly bars', async () => {
      const r = await chart(P['dept.supervisor'], 'year=2024');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      const { root, texts } = textsOf((r.body as Buffer).toString('utf8'));
      expect(root).toBe('svg');
      expect(texts).toContain('测试市教育局2024年政府信息公开申请办理情况');
      for (const label of ['收到申请', '办结', '予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理', '1月', '12月']) expect(texts).toContain(label);
      // the pie's labels: A, B and D granted in 2024
      expect(texts.join('|')).toContain('予以公开|3件');
      // received in December: C, G, J, K (the bar labels are the counts)
      expect(texts).toContain('4');
    });

    it('PNG: a real PNG of the chart size with the CJK font', async () => {
      const r = await chart(P['city.auditor'], `year=2024&agencyId=${org.city}&includeSubAgencies=true&format=png`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/png');
      const png = r.body as Buffer;
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1000, 560]);
      expect(png.length).toBeGreaterThan(10_000);
    });

    it('PNG: drawn off the event loop, so the service answers meanwhile', async () => {
      // a chart not drawn yet (another year's title): resvg loads the 10 MB font for it, about a second
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const started = Date.now();
      const r = await chart(P['city.auditor'], `year=2023&agencyId=${org.city}&includeSubAgencies=true&format=png`);
      const took = Date.now() - started;
      loop.disable();
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/png');
      // drawn on the event loop, the longest stall was the whole render (19 s on a loaded machine in the long fuzz run)
      expect({ took, stall: loop.max / 1e6 < took / 3 }).toEqual({ took, stall: true });
    });

    it('scope and bad input', async () => {
      expect((await chart(P['dept.clerk'], 'year=2024')).status).toBe(403);
      expect((await chart(P.admin, 'year=2024')).status).toBe(403);
      expect((await chart(P['other.auditor'], `year=2024&agencyId=${org.dept}`)).status).toBe(403);
      expect((await chart(P['city.supervisor'], 'year=2024&agencyId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
      for (const [qs, field] of [['year=2018', 'year'], ['year=2026', 'year'], ['', 'year'], ['year=abc', 'year'], ['year=2024&format=gif', 'format']]) {
        const r = await t.http().get(`/api/v1/reports/annual/chart?${qs}`).set(bearer(P['dept.supervisor']));
        expect([qs, r.status, r.body.code, r.body.details.fields.map((f: { field: string }) => f.field)]).toEqual([qs, 400, 'VALIDATION_FAILED', [field]]);
      }
    });
  });
});
