import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { Sweeper } from '../src/notifications/sweeper';
import { ReminderSender } from '../src/notifications/reminder-sender';
import { act, applicationBody, intake, residentId } from './support/cases';
import { REDIS_URL } from './support/env';
import { eventually, startSmtpSink, type SmtpSink } from './support/smtp';
import { bearer, createTestApp, relogin, seedOrg, type TestApp, type TestOrg } from './support/test-app';
import { within } from './support/within';

/** 2024-10-29 (Tuesday) 10:00 Asia/Shanghai */
const TUESDAY_10AM = '2024-10-29T02:00:00Z';
/**
 * The delivery of the cases a test takes steps on: an applicant who chose e-mail has each letter mailed by the
 * workers, and its receipt recorded on the case (a new version) at any moment, so a step sent with the version
 * just read could meet 409; collected letters are received only when the test says so.
 */
const COLLECT = 'collect';

describe('reminders and escalations (real PostgreSQL, Redis, SMTP)', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let org: TestOrg;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      now: TUESDAY_10AM,
      workers: true,
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', JOB_BACKOFF_MS: '50', JOB_ATTEMPTS: '3' },
    });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const rows = (caseId: string) =>
    t.ds.query(`SELECT kind, status, dedupe_key, audience, message_id, attempt FROM scheduled_actions WHERE case_id = $1 ORDER BY created_at, dedupe_key`, [caseId]);
  const mailsFor = (tn: string) => smtp.mails.filter((m) => (m.subject ?? '').includes(tn));

  it('sends the reminder of a case due tomorrow at once, once, to the clerks', async () => {
    const c = await intake(t, org.people['dept.clerk'], '2024-09-27'); // due 2024-10-30
    expect(c.deadline.due).toBe('2024-10-30');
    await eventually(async () => mailsFor(c.trackingNumber).length >= 1, 15_000, 'reminder mail');
    const [mail] = mailsFor(c.trackingNumber);
    expect(mail.subject).toContain('还有1个工作日届满');
    const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address));
    expect(to).toEqual(['dept.clerk@example.cn']);
    expect(mail.messageId).toMatch(/^<deadline_reminder\.[0-9a-f-]+@/);
    expect(mail.text).toContain('2024年10月30日');
    expect(mail.text).toContain('张*');
    // the earlier ones of the series (5 and 2 days before) are not sent: only the latest passed one
    // (the sender commits "sent" just after the SMTP server accepted the mail)
    const r = await eventually(async () => {
      const x = await rows(c.id);
      return x.some((y: { status: string }) => y.status === 'sent') ? x : null;
    }, 5000, 'the sent mark');
    expect(r.filter((x: { status: string }) => x.status === 'sent').map((x: { dedupe_key: string }) => x.dedupe_key)).toEqual([`due:${c.id}:2024-10-30:1`]);
    expect(r.find((x: { dedupe_key: string }) => x.dedupe_key === `due:${c.id}:2024-10-30:0`)?.status).toBe('pending');
    // a sweep later does not send it again
    await t.app.get(Sweeper).sweepOnce();
    await new Promise((res) => setTimeout(res, 500));
    expect(mailsFor(c.trackingNumber)).toHaveLength(1);
  });

  it('a reminder sent late tells the working days left when it is sent, not those it was planned for', async () => {
    // received 2024-09-30: due Friday 2024-11-01, three working days after this Tuesday; the 5-day reminder's
    // day has passed, so it goes out at once
    const c = await intake(t, org.people['dept.clerk'], '2024-09-30', { description: '迟发提醒的天数' }, { idNumber: residentId('11010519900101013') });
    expect(c.deadline).toMatchObject({ due: '2024-11-01', workingDaysLeft: 3 });
    const mail = await eventually(async () => mailsFor(c.trackingNumber)[0], 15_000, 'the late reminder');
    expect(mail.subject).toContain('还有3个工作日届满');
    expect(mail.text).toContain('还有3个工作日届满');
  });

  it('reminds the assigned clerk (承办人) only, once a case has one', async () => {
    const created = await t.http().post('/api/v1/users').set(bearer(org.people.admin)).send({
      username: 'other.clerk2', password: 'Clerk2-Passw0rd!x', displayName: '第二经办人', email: 'other.clerk2@example.cn', role: 'clerk', agencyId: org.people['other.clerk'].agencyId,
    });
    expect(created.status).toBe(201);
    const c = await intake(t, org.people['other.clerk'], '2024-10-28', { description: '申请获取承办人提醒测试', delivery: COLLECT }, { idNumber: residentId('11010519900101005') }); // due 2024-11-25
    expect(c.deadline.due).toBe('2024-11-25');
    const assigned = await act(t, org.people['other.supervisor'], c.id, 'assign', { assigneeId: created.body.id });
    expect(assigned.status).toBe(200);
    // Monday 2024-11-18 09:00 Shanghai: five working days before the deadline
    t.clock.set('2024-11-18T01:00:00Z');
    try {
      await t.app.get(Sweeper).sweepOnce();
      const reminder = () => mailsFor(c.trackingNumber).find((m) => (m.subject ?? '').includes('还有5个工作日'));
      const mail = await eventually(async () => reminder(), 15_000, 'the assignee reminder');
      const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address));
      expect(to).toEqual(['other.clerk2@example.cn']);
      // the 承办人 moves to another agency: the next reminder goes to the case's agency's clerks, not to them
      // (written directly: the tokens signed at the test's start have expired on this clock)
      await t.ds.query(`UPDATE users SET agency_id = $1 WHERE id = $2`, [org.dept, created.body.id]);
      const clerks: { email: string }[] = await t.ds.query(`SELECT email FROM users WHERE agency_id = $1 AND role = 'clerk' AND active AND email IS NOT NULL ORDER BY email`, [org.other]);
      expect(clerks.length).toBeGreaterThan(0);
      t.clock.set('2024-11-21T01:00:00Z');
      await t.app.get(Sweeper).sweepOnce();
      const second = await eventually(async () => mailsFor(c.trackingNumber).find((m) => (m.subject ?? '').includes('还有2个工作日')), 15_000, 'the reminder after the move');
      const to2 = (Array.isArray(second.to) ? second.to : [second.to]).flatMap((a) => a!.value.map((v) => v.address)).sort();
      expect(to2).toEqual(clerks.map((x) => x.email));
    } finally {
      t.clock.set(TUESDAY_10AM);
    }
  });

  it('escalates an overdue case to the supervisors, once', async () => {
    const c = await intake(t, org.people['dept.clerk'], '2024-09-02', {}, { idNumber: residentId('11010519800101001') });
    expect(c.deadline.overdue).toBe(true);
    await eventually(async () => mailsFor(c.trackingNumber).length >= 1, 15_000, 'escalation');
    const mail = mailsFor(c.trackingNumber)[0];
    expect(mail.subject).toContain('逾期督办');
    const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address));
    expect(to).toEqual(['dept.supervisor@example.cn']);
    await new Promise((res) => setTimeout(res, 300));
    expect(mailsFor(c.trackingNumber)).toHaveLength(1);
  });

  it("re-checks a reminder against its agency's rules as they are when it is sent", async () => {
    const c = await intake(t, org.people['city.clerk'], '2024-10-28', { description: '提醒规则变更后的复核' }, { idNumber: residentId('11010519900101030') }); // due 2024-11-25
    expect(c.deadline.due).toBe('2024-11-25');
    const fiveDays = `due:${c.id}:2024-11-25:5`;
    expect((await rows(c.id)).find((x: { dedupe_key: string }) => x.dedupe_key === fiveDays)?.status).toBe('pending');
    // planned with the five-day reminder; the agency then keeps only the two-day one
    await t.ds.query(`UPDATE agencies SET reminder_rules = '{"beforeDue":[2],"onDueDay":true,"escalateOverdue":true,"dailyDigest":true}' WHERE id = $1`, [org.city]);
    // Monday 2024-11-18 09:00 Shanghai: the five-day reminder's time
    t.clock.set('2024-11-18T01:00:00Z');
    try {
      await t.app.get(Sweeper).sweepOnce();
      const handled = await eventually(async () => {
        const r = (await rows(c.id)).find((x: { dedupe_key: string; status: string }) => x.dedupe_key === fiveDays && x.status !== 'pending');
        return r as { status: string } | undefined;
      }, 15_000, 'the five-day reminder handled');
      expect(handled.status).toBe('cancelled');
      // no deadline reminder went out (the correction-limit reminder, due before 2024-11-06 and sent late by this sweep, is another rule)
      expect(mailsFor(c.trackingNumber).filter((m) => (m.subject ?? '').includes('答复期限提醒'))).toHaveLength(0);
    } finally {
      t.clock.set(TUESDAY_10AM);
      await t.ds.query(`UPDATE agencies SET reminder_rules = NULL WHERE id = $1`, [org.city]);
    }
  });

  it('plans nothing while paused, and cancels reminders when the deadline moves', async () => {
    const clerk = org.people['district.clerk'];
    const c = await intake(t, clerk, '2024-10-28', { delivery: COLLECT }); // due 2024-11-25
    const before = await rows(c.id);
    expect(before.filter((x: { kind: string; status: string }) => x.kind === 'deadline_reminder' && x.status === 'pending').length).toBe(4);
    const paused = await act(t, clerk, c.id, 'consult', { on: '2024-10-29', party: 'third_party', name: '某公司' });
    expect(paused.status).toBe(200);
    const during = await rows(c.id);
    expect(during.filter((x: { kind: string; status: string }) => x.kind === 'deadline_reminder' && x.status === 'pending')).toEqual([]);
    expect(during.filter((x: { kind: string; status: string }) => x.kind === 'consultation_response' && x.status === 'pending')).toHaveLength(1);
    // resumed two days later (same day here): a new deadline, new reminders
    const resumed = await act(t, clerk, c.id, 'end-consultation', { on: '2024-10-29', opinion: 'consent' });
    expect(resumed.status).toBe(200);
    // a pause of no working day leaves the deadline where it was: its reminders, cancelled by the pause, are back
    expect(resumed.body.deadline.due).toBe('2024-11-25');
    const back = await rows(c.id);
    const pendingAgain = (xs: { kind: string; status: string; dedupe_key: string }[]) =>
      xs.filter((x) => x.kind === 'deadline_reminder' && x.status === 'pending').map((x) => x.dedupe_key).sort();
    expect(pendingAgain(back)).toEqual(pendingAgain(before));
    const ext = await act(t, clerk, c.id, 'request-extension', { on: '2024-10-29', days: 10, reason: '需要协调' });
    expect(ext.status).toBe(200);
    const approved = await act(t, org.people['district.supervisor'], c.id, 'approve-extension', { on: '2024-10-29' });
    expect(approved.status).toBe(200);
    const newDue = approved.body.deadline.due as string;
    expect(newDue > '2024-11-25').toBe(true);
    const after = await rows(c.id);
    const pendingKeys = after.filter((x: { status: string; kind: string }) => x.status === 'pending' && x.kind === 'deadline_reminder').map((x: { dedupe_key: string }) => x.dedupe_key);
    expect(pendingKeys.every((k: string) => k.includes(newDue))).toBe(true);
    expect(after.filter((x: { status: string; dedupe_key: string }) => x.status === 'cancelled' && x.dedupe_key.includes('2024-11-25')).length).toBeGreaterThan(0);
    // the extension approval request went to the supervisors, or its sender saw the approval first: either way it is no
    // longer pending once the sender that may hold it (its mail going out while the approval committed) has finished
    const approvalRequest = await eventually(async () => {
      const now: { kind: string; status: string }[] = await rows(c.id);
      const x = now.find((r) => r.kind === 'extension_approval');
      return x && x.status !== 'pending' ? x : undefined;
    }, 15_000, 'the extension approval request sent or cancelled');
    expect(['sent', 'cancelled']).toContain(approvalRequest.status);
  });

  it('a case’s step does not wait for a reminder a sender holds while its mail goes out', async () => {
    const clerk = org.people['district.clerk'];
    const c = await intake(t, clerk, '2024-10-28', { description: '发送中的提醒不阻塞办理', delivery: COLLECT }, { idNumber: residentId('11010519900101021') });
    const [row] = await t.ds.query(`SELECT id FROM scheduled_actions WHERE case_id = $1 AND kind = 'deadline_reminder' AND status = 'pending' ORDER BY due_at LIMIT 1`, [c.id]);
    // a sender's transaction holding the row, as while its SMTP send is in flight
    const runner = t.ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT id FROM scheduled_actions WHERE id = $1 FOR UPDATE`, [row.id]);
      // the consultation pauses the clock: the deadline reminders are cancelled, the held one skipped
      const step = act(t, clerk, c.id, 'consult', { on: '2024-10-29', party: 'third_party', name: '某公司' });
      const r = await within(step, 10_000, 'hang' as const);
      expect(r === 'hang' ? 'hang' : r.status).toBe(200);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const rowsNow: { kind: string; status: string; id?: string }[] = await t.ds.query(`SELECT id, kind, status FROM scheduled_actions WHERE case_id = $1 AND kind = 'deadline_reminder'`, [c.id]);
    // the others are cancelled; the held one is left to its sender, which re-checks the case before sending
    expect(rowsNow.filter((x) => x.id !== row.id).every((x) => x.status === 'cancelled')).toBe(true);
  });

  it('sends a future reminder only at 09:00 on a working day', async () => {
    // Friday 2024-11-01 18:00: a case due Tuesday 2024-11-05 (receipt 2024-10-09: +20 working days)
    t.clock.set('2024-11-01T10:00:00Z');
    try {
      const c = await intake(t, await relogin(t, org.people['city.clerk']), '2024-10-09');
      expect(c.deadline.due).toBe('2024-11-05');
      await new Promise((r) => setTimeout(r, 500));
      const sweeper = t.app.get(Sweeper);
      // the "2 days before" reminder (Friday 09:00) has passed: sent at once
      await eventually(async () => mailsFor(c.trackingNumber).length >= 1, 15_000, 'the passed reminder').catch(async (e) => {
        console.error(JSON.stringify(await rows(c.id)), JSON.stringify(await t.ds.query(`SELECT kind, status, last_error, due_at, enqueued_at FROM scheduled_actions WHERE case_id = $1`, [c.id])));
        throw e;
      });
      expect(mailsFor(c.trackingNumber)[0].subject).toContain('还有2个工作日');
      // the weekend passes: nothing on Saturday or Monday before 09:00
      t.clock.set('2024-11-02T02:00:00Z');
      await sweeper.sweepOnce();
      t.clock.set('2024-11-04T00:58:00Z'); // 08:58, before the enqueue horizon of 60 s
      await sweeper.sweepOnce();
      await new Promise((r) => setTimeout(r, 500));
      expect(mailsFor(c.trackingNumber)).toHaveLength(1);
      // Monday 09:00 Shanghai
      t.clock.set('2024-11-04T01:00:00Z');
      expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
      await eventually(async () => mailsFor(c.trackingNumber).length >= 2, 15_000, 'Monday reminder').catch(async (e) => {
        console.error(JSON.stringify(await t.ds.query(`SELECT dedupe_key, status, last_error, due_at, enqueued_at, attempt FROM scheduled_actions WHERE case_id = $1`, [c.id])));
        throw e;
      });
      expect(mailsFor(c.trackingNumber)[1].subject).toContain('还有1个工作日');
    } finally {
      t.clock.set(TUESDAY_10AM);
    }
  });

  it('rebuilds every pending job after Redis loses the queue, each mail once', async () => {
    // a second app on the same database without workers produces; its jobs are then wiped
    const producer = await createTestApp({ now: TUESDAY_10AM, databaseUrl: t.databaseUrl, env: { QUEUE_PREFIX: t.config.queuePrefix, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } });
    const ids: string[] = [];
    try {
      const clerk = { ...org.people['dept.clerk'] };
      for (let i = 0; i < 5; i++) {
        const c = await intake(producer, clerk, '2024-09-27', { description: `申请获取第${i}批道路养护合同` }, { idNumber: residentId(`1101051990010100${i}`) });
        ids.push(c.trackingNumber);
      }
    } finally {
      await producer.close();
    }
    // Redis loses everything of this queue (FLUSHALL would also hit the other test files' queues)
    const redis = new IORedis(REDIS_URL);
    const keys = await redis.keys(`${t.config.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    // …and the sweep rebuilds them once the enqueued jobs are stale
    t.clock.advance(61_000);
    try {
      await t.app.get(Sweeper).sweepOnce();
      await eventually(async () => ids.every((tn) => mailsFor(tn).length === 1), 20_000, 'all rebuilt reminders');
      const messageIds = ids.map((tn) => mailsFor(tn)[0].messageId);
      expect(new Set(messageIds).size).toBe(ids.length);
      await new Promise((r) => setTimeout(r, 500));
      expect(ids.map((tn) => mailsFor(tn).length)).toEqual(ids.map(() => 1));
    } finally {
      t.clock.advance(-61_000);
    }
  });

  it('sends one mail when the same action is enqueued twice and two workers run', async () => {
    const second = await createTestApp({ now: TUESDAY_10AM, databaseUrl: t.databaseUrl, workers: true, env: { QUEUE_PREFIX: t.config.queuePrefix, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } });
    try {
      const c = await intake(t, org.people['district.clerk'], '2024-09-27', { description: '申请获取双工作进程测试' }, { idNumber: residentId('11010519700101003') });
      const [row] = await t.ds.query(`SELECT id FROM scheduled_actions WHERE case_id = $1 AND kind = 'deadline_reminder' AND due_at <= now() + interval '1 year' ORDER BY due_at LIMIT 1`, [c.id]);
      const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
      const q = new Queue('notifications', { connection, prefix: t.config.queuePrefix });
      await Promise.all([
        q.add('scheduled-action.run', { actionId: row.id, attempt: 90 }, { jobId: `${row.id}-90` }),
        q.add('scheduled-action.run', { actionId: row.id, attempt: 91 }, { jobId: `${row.id}-91` }),
        // a busy row makes a concurrent sender throw so BullMQ retries it: both outcomes are fine here
        second.app.get(ReminderSender).send(row.id).catch(() => 'busy'),
      ]);
      await q.close();
      connection.disconnect();
      await eventually(async () => mailsFor(c.trackingNumber).length >= 1, 15_000, 'one mail');
      await new Promise((r) => setTimeout(r, 1000));
      expect(mailsFor(c.trackingNumber)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('retries a refused mail with backoff, then fails visibly, never marked sent', async () => {
    smtp.refuse = true;
    try {
      const c = await intake(t, org.people['city.clerk'], '2024-09-27', { description: '申请获取退信测试' }, { idNumber: residentId('11010519600101004') });
      const row = await eventually(
        async () => (await t.ds.query(`SELECT status, last_error, attempt FROM scheduled_actions WHERE case_id = $1 AND kind = 'deadline_reminder' AND status = 'failed'`, [c.id]))[0],
        20_000,
        'a failed action',
      ).catch(async (e) => {
        console.error(JSON.stringify(await t.ds.query(`SELECT status, last_error, attempt, enqueued_at, due_at FROM scheduled_actions WHERE case_id = $1`, [c.id])));
        throw e;
      });
      expect(row.last_error).toMatch(/550|unavailable/);
      expect((await t.ds.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE case_id = $1 AND status = 'sent'`, [c.id]))[0].n).toBe(0);
      expect(mailsFor(c.trackingNumber)).toHaveLength(0);
      const health = await t.http().get('/health');
      expect(health.body.info.reminders.failed).toBeGreaterThanOrEqual(1);
      // …and the exhausted job is listed in Bull Board, for administrators only
      const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      expect((await t.http().get('/admin/queues')).status).toBe(401);
      expect((await t.http().get('/admin/queues').set('Authorization', basic('city.clerk', org.people['city.clerk'].password))).status).toBe(401);
      const page = await t.http().get('/admin/queues').set('Authorization', basic('admin', org.people.admin.password));
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      const api = await t.http().get('/admin/queues/api/queues?activeQueue=notifications&status=failed').set('Authorization', basic('admin', org.people.admin.password));
      expect(api.status).toBe(200);
      const q = api.body.queues.find((x: { name: string }) => x.name === 'notifications');
      expect(q.counts.failed).toBeGreaterThanOrEqual(1);
      // the mail server is back: a sweep within 15 minutes leaves the failed action alone, one after takes it again
      smtp.refuse = false;
      await t.app.get(Sweeper).sweepOnce();
      await new Promise((res) => setTimeout(res, 300));
      expect(mailsFor(c.trackingNumber)).toHaveLength(0);
      t.clock.set(new Date(t.clock.now().getTime() + 16 * 60_000).toISOString());
      try {
        await t.app.get(Sweeper).sweepOnce();
        await eventually(async () => mailsFor(c.trackingNumber).length === 1, 15_000, 'the failed reminder sent once the server is back');
        await eventually(async () => (await t.ds.query(`SELECT status FROM scheduled_actions WHERE case_id = $1 AND kind = 'deadline_reminder' AND status = 'sent'`, [c.id])).length === 1, 5000, 'sent');
      } finally {
        t.clock.set(TUESDAY_10AM);
      }
    } finally {
      smtp.refuse = false;
    }
  });

  it('keeps identity and phone numbers out of job data and mail', async () => {
    const id = residentId('11010519550101005');
    const res = await t
      .http()
      .post('/api/v1/cases')
      .set(bearer(org.people['dept.clerk']))
      .set('X-Request-Id', 'corr-privacy-0001')
      .send({ ...applicationBody({ description: '申请获取隐私测试' }, { idNumber: id, phone: '13912345678' }), channel: 'in_person', receiptDate: '2024-09-27' });
    expect(res.status).toBe(201);
    const c = res.body as { trackingNumber: string };
    await eventually(async () => mailsFor(c.trackingNumber).length >= 1, 15_000, 'mail');
    const redis = new IORedis(REDIS_URL);
    const keys = await redis.keys(`${t.config.queuePrefix}:notifications:*`);
    let dump = '';
    for (const k of keys) {
      const type = await redis.type(k);
      if (type === 'hash') dump += JSON.stringify(await redis.hgetall(k));
    }
    redis.disconnect();
    expect(dump).toContain('actionId');
    expect(dump).toContain('corr-privacy-0001'); // the request's correlation id travels with the job
    expect(dump).not.toContain(id);
    expect(dump).not.toContain('13912345678');
    const all = smtp.mails.map((m) => `${m.subject}\n${m.text}\n${m.html}`).join('\n');
    expect(all).not.toContain(id);
    expect(all).not.toContain('13912345678');
  });

  it('plans one daily digest per agency with supervisors, once a day, unless turned off', async () => {
    await t.ds.query(`UPDATE agencies SET reminder_rules = '{"beforeDue":[5,2,1],"onDueDay":true,"escalateOverdue":true,"dailyDigest":false}' WHERE id = $1`, [org.other]);
    const digests = () => t.ds.query(`SELECT agency_id, due_at, data FROM scheduled_actions WHERE kind = 'daily_digest' ORDER BY agency_id`);
    await t.ds.query(`DELETE FROM scheduled_actions WHERE kind = 'daily_digest'`);
    const sweeper = t.app.get(Sweeper);
    (sweeper as unknown as { plannedDay: string | null }).plannedDay = null;
    await sweeper.planDigests();
    await sweeper.planDigests();
    const rows = await digests();
    expect(rows.map((r: { agency_id: string }) => r.agency_id).sort()).toEqual([org.city, org.dept, org.district].sort());
    // Tuesday 10:00: the next digest is Wednesday 09:00 Shanghai
    expect(rows.every((r: { due_at: Date; data: { date: string } }) => r.due_at.toISOString() === '2024-10-30T01:00:00.000Z' && r.data.date === '2024-10-30')).toBe(true);
  });
});
