/**
 * The baseline for bench/http.ts: bare Fastify + pg, no Nest, no TypeORM, doing the same work as the
 * app's two benchmarked routes against the same database, so the ratio app / bare prices the framework
 * and whatever the app does beyond the minimum:
 *
 * - `POST /api/v1/cases` (clerk intake): verifies the HS256 bearer token, checks the body by hand
 *   (fields, enums, lengths, receipt date not in the future, the identity number's check character with
 *   the project's pure `validateIdNumber`), encrypts the identity number and phone (AES-256-GCM), hashes
 *   them (HMAC-SHA-256), masks them, draws a query code, computes the search grams and the deadline
 *   columns (the project's pure `derivedColumns`), then in ONE transaction inserts the `cases` row (tracking
 *   number from `case_tracking_seq`), its `case_history` row, its reminder rows (`scheduled_actions`,
 *   planned with the project's pure `planReminders` and the default rules, the app's SQL) and its receipt
 *   letter (numbered in its series, the app's SQL) with its facts (the agency read, the project's pure
 *   `buildLetterFacts`, the template in force, the sealed query code), then after commit the letter's render
 *   job (the app's query, BullMQ on the app's Redis prefix), reads the duplicate hints with the app's query,
 *   and answers 201 with the case, deadline, query code and hints.
 * - `GET /api/v1/cases/:id`: verifies the token, selects the case by id, checks the agency scope exactly
 *   as `CaseAccess.of` does (own agency; otherwise, for supervisors and auditors, one query on
 *   the agency paths), computes the deadline (`clockOf`), the sub-periods and the actions on offer, and answers
 *   the case with its reviews as JSON, the same body and headers as the app's (bench/http.ts checks
 *   that before it measures); the case and its reviews come from one statement, as in the app.
 *
 * The same SQL statements as the app, and no more: what the ratio prices is the framework (Nest, TypeORM,
 * class-validator, the app's logging and error handling), not work the bare server skips.
 *
 *   DATABASE_URL=… REDIS_URL=… QUEUE_PREFIX=… PORT=… JWT_SECRET=… ENCRYPTION_KEY=… HASH_KEY=… node -r @swc-node/register bench/bare-server.ts
 */
import { createCipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Pool, types } from 'pg';
import { isIsoDate, todayInShanghai } from '../src/statute/iso-date';
import { WorkingCalendar } from '../src/statute/working-calendar';
import { clockOf, derivedColumns } from '../src/cases/case-clock';
import { APPLICANT_TYPES, CHANNELS, DELIVERY_METHODS, FORMS, ORG_ID_TYPES, PERSON_ID_TYPES, searchGrams } from '../src/statute/intake';
import { DEFAULT_RULES, planReminders } from '../src/statute/reminder-rules';
import { reminderFacts } from '../src/notifications/reminder-facts';
import { deadlineView, subDeadlinesOf } from '../src/cases/case-clock';
import { CASE_STATE_LABELS, type CaseState } from '../src/statute/case-states';
import { OUTCOMES, type OutcomeCode } from '../src/statute/outcomes';
import { actionsAvailable } from '../src/statute/transition-table';
import type { Role } from '../src/statute/roles';
import { ART35_COUNTS_SQL, DUPLICATE_HINTS_SQL } from '../src/cases/case-sql';
import { art35Flag, DEFAULT_ART35_THRESHOLDS, reasonsPeriodEnd, type Art35Thresholds, type ReasonsRequest } from '../src/statute/art35';
import { receivedOn } from '../src/cases/case-clock';
import { INSERT_PLANNED_ACTIONS_SQL } from '../src/notifications/notifications-sql';
import { ISSUE_LETTER_SQL, issueLetterParams, SET_LETTER_FACTS_SQL, UNRENDERED_OF_CASE_SQL } from '../src/letters/letters-sql';
import { assertLetterComplete, buildLetterFacts, numberParts } from '../src/letters/letter-facts.builder';
import type { AgencyEntity } from '../src/agencies/agency.entity';
import { createQueueBackend } from '../src/infra/queue/queue-backend';
import { DEFAULT_JOB_OPTIONS } from '../src/infra/queue/queue.service';
import { JOB_QUEUE } from '../src/infra/queue/job-names';
import { poolTiming } from '../src/infra/database/pool-timing';
import { correlationIdFor } from '../src/common/logging/logging';
import { corsOptions, staticSecurityHeaders } from '../src/common/http/security-headers';
import cors from '@fastify/cors';
import type { CaseEntity } from '../src/cases/case.entity';
import { ID_TYPES, maskIdNumber, maskPhone, normalizeIdNumber, validateIdNumber, type IdType } from '../src/statute/id-number';

// dates as the strings PostgreSQL sends ('YYYY-MM-DD'), as the app reads them
types.setTypeParser(1082, (v: string) => v);

interface User {
  id: string;
  role: string;
  agencyId: string | null;
}

/** The columns of a case row that its answer shows (as pg reads them: dates as text, jsonb parsed). */
type CaseRow = {
  [K in
    | 'id' | 'tracking_number' | 'agency_id' | 'state' | 'channel' | 'applicant_type' | 'applicant_name' | 'applicant_id_type' | 'applicant_id_masked'
    | 'description' | 'form' | 'delivery']: string;
} & {
  [K in
    | 'receipt_date' | 'applicant_phone_masked' | 'applicant_email' | 'applicant_address' | 'document_number' | 'assignee_id' | 'outcome'
    | 'concluded_on' | 'delayed_until' | 'reopened_from']: string | null;
} & {
  [K in 'outcome_details' | 'correction' | 'extension' | 'fee' | 'reply_draft' | 'forwarded' | 'art35_flag']: unknown;
} & { reasons_request: ReasonsRequest | null } & { consultations: unknown[]; deliveries: unknown[]; version: number; submitted_at: Date | null; created_at: Date; updated_at: Date; reviews_json?: unknown };

function key(raw: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
}

export async function startBareServer(env: Record<string, string | undefined> = process.env): Promise<{ port: number; close(): Promise<void> }> {
  const jwtSecret = env.JWT_SECRET!;
  const encryptionKey = key(env.ENCRYPTION_KEY!);
  const hashKey = key(env.HASH_KEY!);
  // the app's pool settings (the same idle life), so that the latencies compare
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: 20, ...poolTiming(20), application_name: 'bench-bare' });
  // an idle connection whose session ended is dropped from the pool (as TypeORM's handler does for the app)
  pool.on('error', () => undefined);
  // and its kept connections opened before the load, as the app's PoolWarmup does
  await Promise.all(Array.from({ length: poolTiming(20).min }, () => pool.query('SELECT 1')));
  const cal = WorkingCalendar.official();
  // the app's queue producer (WORKERS=off: the render jobs go to Redis, nobody takes them)
  const queues = createQueueBackend({ redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379', databaseUrl: env.DATABASE_URL!, prefix: env.QUEUE_PREFIX ?? 'gi' });
  const letterQueue = queues.createQueue(JOB_QUEUE['letter.render']);

  const encrypt = (plain: string): string => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', encryptionKey, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${iv.toString('base64')}:${c.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
  };
  const hash = (purpose: string, value: string): string => createHmac('sha256', hashKey).update(`${purpose}\u0000${value}`).digest('hex');
  const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const queryCode = (): string => {
    const bytes = randomBytes(24);
    let out = '';
    for (let i = 0; out.length < 12 && i < bytes.length; i++) if (bytes[i] < 248) out += ALPHABET[bytes[i] % ALPHABET.length];
    return out.length === 12 ? out : queryCode();
  };

  /** HS256 JWT as @nestjs/jwt issues it: signature, expiry, claims. */
  const authenticate = (req: FastifyRequest): User | null => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return null;
    const [h, p, s] = m[1].split('.');
    if (!h || !p || !s) return null;
    const expected = createHmac('sha256', jwtSecret).update(`${h}.${p}`).digest();
    const given = Buffer.from(s, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { sub: string; role: string; agency: string | null; exp: number };
      if (header.alg !== 'HS256' || !(claims.exp > Date.now() / 1000)) return null;
      return { id: claims.sub, role: claims.role, agencyId: claims.agency ?? null };
    } catch {
      return null;
    }
  };

  const fail = (reply: FastifyReply, statusCode: number, code: string, fields?: { field: string; message: string }[]) =>
    reply.code(statusCode).send({ statusCode, code, message: code, details: fields ? { fields } : {}, correlationId: null });

  const app = Fastify({ bodyLimit: 1024 * 1024, logger: false, genReqId: correlationIdFor, requestIdHeader: false });
  // the app's headers on every answer: its correlation id and helmet's security headers
  const securityHeaders = staticSecurityHeaders();
  app.addHook('onRequest', (req, reply, done) => {
    void reply.header('X-Request-Id', req.id).headers(securityHeaders);
    done();
  });
  // and its CORS, with the same options (production: no origin allowed unless CORS_ORIGINS names it)
  await app.register(cors, corsOptions(env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((o) => o.trim()) : []));

  /** The case as the app answers it (mapCase), from the row's columns: same fields, same order, same work. */
  const caseBody = (c: CaseRow, user: User, today: string) => {
    const facts = {
      state: c.state as CaseState,
      receiptDate: c.receipt_date,
      correction: c.correction,
      consultations: c.consultations,
      fee: c.fee,
      extension: c.extension,
      delayedUntil: c.delayed_until,
      concludedOn: c.concluded_on,
      deliveries: c.deliveries,
    } as unknown as CaseEntity;
    const clock = clockOf(facts, cal, today);
    const canAct = c.agency_id === user.agencyId && user.role !== 'auditor';
    return {
      id: c.id,
      trackingNumber: c.tracking_number,
      agencyId: c.agency_id,
      state: c.state,
      stateLabel: CASE_STATE_LABELS[c.state as CaseState],
      channel: c.channel,
      receiptDate: c.receipt_date,
      submittedAt: c.submitted_at ? c.submitted_at.toISOString() : null,
      applicant: { type: c.applicant_type, name: c.applicant_name, idType: c.applicant_id_type, idNumber: c.applicant_id_masked, phone: c.applicant_phone_masked, email: c.applicant_email, address: c.applicant_address },
      description: c.description,
      documentNumber: c.document_number,
      form: c.form,
      delivery: c.delivery,
      assigneeId: c.assignee_id,
      outcome: c.outcome,
      outcomeLabel: c.outcome ? OUTCOMES[c.outcome as OutcomeCode].label : null,
      outcomeDetails: c.outcome_details,
      concludedOn: c.concluded_on,
      version: c.version,
      deadline: deadlineView(clock),
      periods: subDeadlinesOf(facts, cal),
      correction: c.correction,
      consultations: c.consultations,
      extension: c.extension,
      delayedUntil: c.delayed_until,
      fee: c.fee,
      replyDraft: c.reply_draft,
      deliveries: c.deliveries,
      reopenedFrom: c.reopened_from,
      forwarded: c.forwarded ?? null,
      reasonsRequest: c.reasons_request
        ? { ...c.reasons_request, periodEnds: reasonsPeriodEnd(c.reasons_request, receivedOn(c.deliveries as never, 'reasons_request', c.reasons_request.requestedOn), cal) }
        : null,
      art35Flag: c.art35_flag ?? null,
      availableActions: canAct ? [...actionsAvailable(c.state as CaseState, user.role as Role)] : [],
      createdAt: c.created_at.toISOString(),
      updatedAt: c.updated_at.toISOString(),
    };
  };

  app.get('/health', async () => ({ status: 'ok' }));

  app.post('/api/v1/cases', async (req, reply) => {
    const user = authenticate(req);
    if (!user) return fail(reply, 401, 'UNAUTHENTICATED');
    if (user.role !== 'clerk' && user.role !== 'supervisor') return fail(reply, 403, 'FORBIDDEN');
    const b = req.body as Record<string, unknown> | null;
    const a = (b?.applicant ?? null) as Record<string, unknown> | null;
    const problems: { field: string; message: string }[] = [];
    const today = todayInShanghai();
    const str = (v: unknown, max: number) => typeof v === 'string' && v.length >= 1 && v.length <= max;
    if (!b || typeof b !== 'object') return fail(reply, 400, 'VALIDATION_FAILED', [{ field: '', message: 'body' }]);
    if (!(CHANNELS as readonly unknown[]).includes(b.channel)) problems.push({ field: 'channel', message: 'enum' });
    if (!isIsoDate(b.receiptDate) || b.receiptDate > today) problems.push({ field: 'receiptDate', message: 'date' });
    if (!str(b.description, 5000)) problems.push({ field: 'description', message: 'length' });
    if (b.documentNumber !== undefined && !str(b.documentNumber, 100)) problems.push({ field: 'documentNumber', message: 'length' });
    if (!(FORMS as readonly unknown[]).includes(b.form)) problems.push({ field: 'form', message: 'enum' });
    if (!(DELIVERY_METHODS as readonly unknown[]).includes(b.delivery)) problems.push({ field: 'delivery', message: 'enum' });
    if (!a || typeof a !== 'object') problems.push({ field: 'applicant', message: 'object' });
    else {
      if (!(APPLICANT_TYPES as readonly unknown[]).includes(a.type)) problems.push({ field: 'applicant.type', message: 'enum' });
      if (!str(a.name, 100)) problems.push({ field: 'applicant.name', message: 'length' });
      const allowed: readonly unknown[] = a.type === 'natural_person' ? PERSON_ID_TYPES : ORG_ID_TYPES;
      if (!(ID_TYPES as readonly unknown[]).includes(a.idType) || !allowed.includes(a.idType)) problems.push({ field: 'applicant.idType', message: 'enum' });
      else if (typeof a.idNumber !== 'string' || !validateIdNumber(a.idType as IdType, normalizeIdNumber(a.idType as IdType, a.idNumber)).ok) {
        problems.push({ field: 'applicant.idNumber', message: 'check' });
      }
      if (a.phone !== undefined && (typeof a.phone !== 'string' || !/^[0-9+\-() ]{5,30}$/.test(a.phone))) problems.push({ field: 'applicant.phone', message: 'phone' });
      if (a.email !== undefined && !str(a.email, 200)) problems.push({ field: 'applicant.email', message: 'email' });
      if (a.address !== undefined && !str(a.address, 200)) problems.push({ field: 'applicant.address', message: 'length' });
    }
    if (problems.length) return fail(reply, 400, 'VALIDATION_FAILED', problems);

    const idNumber = normalizeIdNumber(a!.idType as IdType, a!.idNumber as string);
    const phone = typeof a!.phone === 'string' ? a!.phone.trim() : null;
    const receiptDate = b.receiptDate as string;
    const code = queryCode();
    const facts = { state: 'in_progress' as const, receiptDate, correction: null, consultations: [], fee: null, extension: null, delayedUntil: null, concludedOn: null, deliveries: [] };
    const derived = derivedColumns(facts, cal, today);
    const agencyId = user.agencyId!;
    const c = await pool.connect();
    let row: { id: string; tracking_number: string; version: number; created_at: Date; updated_at: Date };
    let flag: ReturnType<typeof art35Flag>;
    try {
      await c.query('BEGIN');
      // Art 35 (the app's intake): the agency's thresholds, the applicant's counts, the flag
      const agencyRow = await c.query(`SELECT art35_thresholds FROM agencies WHERE id = $1`, [agencyId]);
      const thresholds = (agencyRow.rows[0]?.art35_thresholds as Art35Thresholds | null) ?? DEFAULT_ART35_THRESHOLDS;
      const counts = (await c.query(ART35_COUNTS_SQL, [hash('identity', idNumber), agencyId, receiptDate, thresholds.windowDays, null])).rows[0] as { month: number; win: number };
      flag = art35Flag({ month: counts.month + 1, window: counts.win + 1 }, thresholds);
      const r = await c.query(
        `INSERT INTO cases (tracking_number, query_code_hash, agency_id, state, channel, receipt_date, last_step_on,
            applicant_type, applicant_name, applicant_id_type, applicant_id_enc, applicant_id_hash, applicant_id_masked,
            applicant_phone_enc, applicant_phone_masked, applicant_email, applicant_address,
            description, document_number, form, delivery, search_grams,
            due_date, computed_due, deadline_provisional, concluded_late, created_by, art35_flag)
         VALUES ('Y' || $1 || lpad(nextval('case_tracking_seq')::text, 6, '0'), $2, $3, 'in_progress', $4, $5, $5,
            $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
         RETURNING id, tracking_number, version, created_at, updated_at`,
        [
          receiptDate.slice(0, 4),
          hash('query-code', code),
          agencyId,
          b.channel,
          receiptDate,
          a!.type,
          (a!.name as string).trim(),
          a!.idType,
          encrypt(idNumber),
          hash('identity', idNumber),
          maskIdNumber(idNumber),
          phone ? encrypt(phone) : null,
          phone ? maskPhone(phone) : null,
          a!.email ?? null,
          a!.address ?? null,
          b.description,
          b.documentNumber ?? null,
          b.form,
          b.delivery,
          searchGrams(b.description as string, a!.name as string),
          derived.dueDate,
          derived.computedDue,
          derived.deadlineProvisional,
          derived.concludedLate,
          user.id,
          flag ? JSON.stringify(flag) : null,
        ],
      );
      row = r.rows[0];
      await c.query(
        `INSERT INTO case_history (case_id, at, "on", actor_id, actor_role, action, from_state, to_state, payload, recorded_late, version_after)
         VALUES ($1, now(), $2, $3, $4, 'intake', NULL, 'in_progress', $5, $6, $7)`,
        [row.id, receiptDate, user.id, user.role, JSON.stringify({ channel: b.channel, receiptDate, ...(flag ? { art35Flag: flag.reasons } : {}) }), cal.countWorkingDays(receiptDate, today).workingDays > 1, row.version],
      );
      // the reminders the new case calls for (the app's ReminderPlanner: pure plan, one INSERT)
      const now = new Date();
      const planned = { ...facts, id: row.id, dueDate: derived.dueDate, submittedAt: null, replyDraft: null } as unknown as CaseEntity;
      const plan = planReminders(reminderFacts(planned, subDeadlinesOf(planned, cal), todayInShanghai), DEFAULT_RULES, cal, now);
      if (plan.length) {
        await c.query(
          INSERT_PLANNED_ACTIONS_SQL,
          [
            plan.map((p) => p.key),
            plan.map((p) => p.kind),
            plan.map(() => row.id),
            plan.map(() => agencyId),
            plan.map((p) => p.audience),
            plan.map((p) => p.dueAt.toISOString()),
            plan.map((p) => JSON.stringify(p.data)),
          ],
        );
      }
      // the receipt (回执), numbered in its series, with its facts fixed (the app's LettersListener, the app's SQL):
      // the agency as the listener reads it (every column), the facts, the template in force, the facts written
      const agency = (await c.query(`SELECT * FROM agencies WHERE id = $1`, [agencyId])).rows[0] as Record<string, unknown>;
      const asEntity = {
        ...planned,
        trackingNumber: row.tracking_number,
        channel: b.channel,
        applicantName: (a!.name as string).trim(),
        applicantAddress: a!.address ?? null,
        delivery: b.delivery,
        description: b.description,
        computedDue: derived.computedDue,
        outcome: null,
        outcomeDetails: null,
        delayedReason: null,
        reasonsRequest: null,
      } as unknown as CaseEntity;
      const agencyEntity = { name: agency.name, reconsiderationBody: agency.reconsideration_body, court: agency.court, phone: agency.phone } as AgencyEntity;
      const receiptFacts = buildLetterFacts({ code: 'receipt', outcome: null, addressee: 'applicant', consultationId: null, datedOn: receiptDate, number: null }, asEntity, agencyEntity, cal);
      assertLetterComplete('receipt', receiptFacts);
      const issued = (await c.query(ISSUE_LETTER_SQL, issueLetterParams({ caseId: row.id, agencyId, code: 'receipt', outcome: null, addressee: 'applicant', consultationId: null, datedOn: receiptDate, at: now, approvedBy: null }))).rows[0] as { id: string; number: string };
      const override = await c.query(`SELECT * FROM letter_template_overrides WHERE agency_id = $1 AND template_code = $2 ORDER BY version DESC LIMIT 1`, [agencyId, receiptFacts.template]);
      const version = (override.rows[0] as { version: number } | undefined)?.version ?? 0;
      await c.query(SET_LETTER_FACTS_SQL, [issued.id, JSON.stringify({ ...receiptFacts, number: numberParts(issued.number) }), receiptFacts.template, version, encrypt(code), null, null, null]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
    // after commit, the receipt's render job (the app's LetterJobs.renderCase)
    const unrendered = (await pool.query(UNRENDERED_OF_CASE_SQL, [row.id])).rows as { id: string }[];
    await letterQueue
      .addBulk(unrendered.map((l) => ({ name: 'letter.render', data: { letterId: l.id, correlationId: req.id }, opts: { ...DEFAULT_JOB_OPTIONS, jobId: `letter.render.${l.id}` } })))
      .catch(() => undefined);
    // duplicate hints (the app's CasesRepository.duplicateHints query)
    const hints = await pool.query(
      DUPLICATE_HINTS_SQL,
      [hash('identity', idNumber), row.id, b.description, receiptDate, 5, agencyId],
    );
    // the app's answer: the case as a read shows it, with the query code and the hints
    const written: CaseRow = {
      ...row,
      agency_id: agencyId,
      state: 'in_progress',
      channel: b.channel as string,
      receipt_date: receiptDate,
      submitted_at: null,
      applicant_type: a!.type as string,
      applicant_name: (a!.name as string).trim(),
      applicant_id_type: a!.idType as string,
      applicant_id_masked: maskIdNumber(idNumber),
      applicant_phone_masked: phone ? maskPhone(phone) : null,
      applicant_email: (a!.email as string | undefined) ?? null,
      applicant_address: (a!.address as string | undefined) ?? null,
      description: b.description as string,
      document_number: (b.documentNumber as string | undefined) ?? null,
      form: b.form as string,
      delivery: b.delivery as string,
      assignee_id: null,
      outcome: null,
      outcome_details: null,
      concluded_on: null,
      correction: null,
      consultations: [],
      extension: null,
      delayed_until: null,
      fee: null,
      reply_draft: null,
      deliveries: [],
      reopened_from: null,
      forwarded: null,
      reasons_request: null,
      art35_flag: flag,
    };
    return reply.code(201).send({ ...caseBody(written, user, today), queryCode: code, duplicateHints: { earlier: hints.rows[0].earlier, countThisMonth: hints.rows[0].n } });
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // the columns the app reads: every column but the search grams (select: false in the entity)
  const COLUMNS = (
    await pool.query(
      `SELECT string_agg('c.' || quote_ident(column_name), ', ' ORDER BY ordinal_position) AS list
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cases' AND column_name <> 'search_grams'`,
    )
  ).rows[0].list as string;

  app.get('/api/v1/cases/:id', async (req, reply) => {
    const user = authenticate(req);
    if (!user) return fail(reply, 401, 'UNAUTHENTICATED');
    if (user.role === 'admin') return fail(reply, 403, 'FORBIDDEN');
    const id = (req.params as { id: string }).id;
    if (!UUID.test(id)) return fail(reply, 400, 'VALIDATION_FAILED', [{ field: 'id', message: 'uuid' }]);
    // the app's statement: the case and its reviews at once
    const r = await pool.query(
      `SELECT ${COLUMNS}, (SELECT coalesce(json_agg(r ORDER BY r.created_at), '[]') FROM reviews r WHERE r.case_id = c.id) AS reviews_json FROM cases c WHERE c.id = $1`,
      [id.toLowerCase()],
    );
    const c = r.rows[0];
    if (!c) return fail(reply, 404, 'NOT_FOUND');
    // CaseAccess.of: own agency; clerks nothing else; supervisors and auditors the agencies below
    if (!user.agencyId) return fail(reply, 404, 'NOT_FOUND');
    if (c.agency_id !== user.agencyId) {
      if (user.role === 'clerk') return fail(reply, 404, 'NOT_FOUND');
      const s = await pool.query(`SELECT EXISTS (SELECT 1 FROM agencies a, agencies me WHERE a.id = $1 AND me.id = $2 AND a.path LIKE me.path || '%') AS ok`, [c.agency_id, user.agencyId]);
      if (!s.rows[0].ok) return fail(reply, 404, 'NOT_FOUND');
    }
    return { ...caseBody(c, user, todayInShanghai()), reviews: (c.reviews_json as Record<string, string | null>[]).map((r) => ({ id: r.id, kind: r.kind, filedOn: r.filed_on, result: r.result, concludedOn: r.concluded_on, decisionReceivedOn: r.decision_received_on, note: r.note })) };
  });

  await app.listen({ port: Number(env.PORT ?? 0), host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(env.PORT);
  return {
    port,
    close: async () => {
      await app.close();
      await queues.close();
      await pool.end();
    },
  };
}

if (require.main === module) {
  startBareServer()
    .then((s) => {
      process.stdout.write(`bare server listening on ${s.port}\n`);
      const stop = () => {
        s.close().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((e: unknown) => {
      process.stderr.write(`bare server failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
