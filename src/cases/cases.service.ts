import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { DataSource, EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { AuthUser } from '../auth/auth-user';
import { CALENDAR_COMMAND_MAX_AGE_MS, CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { newQueryCode, PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { DomainError, type FieldProblem } from '../common/errors/domain-error';
import { IdempotencyService } from '../common/idempotency.service';
import { maskIdNumber, maskPhone, normalizeIdNumber, validateIdNumber } from '../statute/id-number';
import { CaseEvents } from './case-events';
import { derivedColumns } from './case-clock';
import type { CaseEntity } from './case.entity';
import { CaseAccess } from './case-access';
import { CasesRepository, type CaseListFilter } from './cases.repository';
import { mapCase, mapCaseSummary, type CaseDto, type CaseSummaryDto } from './dto/case-response.dto';
import type { ApplicationBodyDto, ClerkIntakeDto, PortalIntakeDto } from './dto/intake.dto';
import { ORG_ID_TYPES, PERSON_ID_TYPES, searchGrams } from '../statute/intake';
import { quoteFee, type FeeTariff } from '../statute/fee-tariff';
import { art35Flag } from '../statute/art35';
import type { FeeQuoteDto } from './dto/fee-quote.dto';

export const ID_HASH = 'identity';
/** 《政府信息公开条例》 first took effect on 2008-05-01: no application can have been received before. */
export const EARLIEST_RECEIPT_DATE = '2008-05-01';
export const QUERY_CODE_HASH = 'query-code';

export interface IntakeResult {
  case: CaseDto;
  queryCode: string;
  duplicateHints: DuplicateHints;
}

export interface DuplicateHints {
  /** earlier applications by the same applicant (matched by identity number), most similar first */
  earlier: { id: string; trackingNumber: string; receiptDate: string | null; state: string; description: string; similarity: number; reply: { number: string; date: string } | null }[];
  /** the applicant's applications this calendar month, this one included (fees, Art 35) */
  countThisMonth: number;
}

@Injectable()
export class CasesService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly agencyService: AgenciesService,
    private readonly calendar: CalendarService,
    private readonly cipher: PersonalDataCipher,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
    private readonly events: CaseEvents,
    private readonly audit: AuditTrail,
  ) {}

  /** Identity numbers: checked by their check character, encrypted, hashed, masked. */
  private applicantColumns(body: ApplicationBodyDto): Partial<CaseEntity> {
    const a = body.applicant;
    const problems: FieldProblem[] = [];
    if (!a.name.trim()) problems.push({ field: 'applicant.name', message: '申请人姓名或名称不能为空' });
    if (!body.description.trim()) problems.push({ field: 'description', message: '申请内容描述不能为空' });
    const person = a.type === 'natural_person';
    const allowed: readonly string[] = person ? PERSON_ID_TYPES : ORG_ID_TYPES;
    if (!allowed.includes(a.idType)) {
      problems.push({ field: 'applicant.idType', message: person ? '自然人的证件类型应为居民身份证、护照或其他个人证件' : '法人或其他组织的证件类型应为统一社会信用代码或其他组织证件' });
    }
    const idNumber = normalizeIdNumber(a.idType, a.idNumber);
    const check = validateIdNumber(a.idType, idNumber);
    if (!check.ok) problems.push({ field: 'applicant.idNumber', message: check.message });
    if (problems.length) throw DomainError.validation(problems, problems[0].message);
    const phone = a.phone?.trim() || null;
    return {
      applicantType: a.type,
      applicantName: a.name.trim(),
      applicantIdType: a.idType,
      applicantIdEnc: this.cipher.encrypt(idNumber),
      applicantIdHash: this.cipher.hash(ID_HASH, idNumber),
      applicantIdMasked: maskIdNumber(idNumber),
      applicantPhoneEnc: phone ? this.cipher.encrypt(phone) : null,
      applicantPhoneMasked: phone ? maskPhone(phone) : null,
      applicantEmail: a.email ?? null,
      applicantAddress: a.address ?? null,
      description: body.description,
      documentNumber: body.documentNumber ?? null,
      form: body.form,
      delivery: body.delivery,
      searchGrams: searchGrams(body.description, a.name),
    };
  }

  private async hints(c: CaseEntity): Promise<DuplicateHints> {
    const month = c.receiptDate ?? this.clock.today();
    return this.cases.duplicateHints(c.agencyId, c.applicantIdHash, c.id, c.description, month);
  }

  /** Clerk intake (every channel): the case starts in_progress from the receipt date the clerk established (Art 31). */
  async intakeByClerk(dto: ClerkIntakeDto, idempotencyKey: string | undefined, user: AuthUser, correlationId?: string): Promise<IntakeResult> {
    if (user.role !== 'clerk' && user.role !== 'supervisor') throw new DomainError('FORBIDDEN');
    const today = this.clock.today();
    if (dto.receiptDate > today) throw DomainError.field('receiptDate', '收到申请之日不能晚于今天');
    if (dto.receiptDate < EARLIEST_RECEIPT_DATE) throw DomainError.field('receiptDate', `收到申请之日不能早于条例施行之日（${EARLIEST_RECEIPT_DATE}）`);
    const agencyId = dto.agencyId?.toLowerCase() ?? user.agencyId!;
    if (agencyId !== user.agencyId) {
      // clerks log applications for their own agency only
      const access = await this.access.of(agencyId, user);
      if (access === 'none') throw DomainError.field('agencyId', '机关不存在');
      throw new DomainError('FORBIDDEN', '只能为本机关登记申请');
    }
    const applicant = this.applicantColumns(dto);
    // what this request wrote: an attempt that lost a race for its Idempotency-Key rolled back, so
    // the answer uses it only when it is the case the stored result names
    let created: CaseEntity | undefined;
    let drawnCode: string | undefined;
    const result = await this.idempotency.run(`cases:${user.id}`, idempotencyKey, dto, async (m) => {
      const queryCode = (drawnCode = newQueryCode());
      // Art 35: the applicant's applications at the agency this month and within its window, this one counted
      const thresholds = await this.agencyService.art35Thresholds(agencyId, m);
      const art35 = art35Flag(await this.cases.art35Counts(m, agencyId, applicant.applicantIdHash!, dto.receiptDate, thresholds.windowDays, null, 1), thresholds);
      const c = (created = await this.create(m, {
        ...applicant,
        art35Flag: art35,
        agencyId,
        channel: dto.channel,
        state: 'in_progress',
        receiptDate: dto.receiptDate,
        lastStepOn: dto.receiptDate,
        queryCodeHash: this.cipher.hash(QUERY_CODE_HASH, queryCode),
        createdBy: user.id,
      }, user, { action: 'intake', on: dto.receiptDate, payload: { channel: dto.channel, receiptDate: dto.receiptDate, ...(art35 ? { art35Flag: art35.reasons } : {}) }, queryCode }, correlationId));
      // the idempotency record keeps the code and the first answer's case only sealed (personal data), so a
      // repeated request can answer them as they were
      if (idempotencyKey === undefined) return { caseId: c.id, queryCodeSealed: null, caseSealed: null };
      return { caseId: c.id, queryCodeSealed: this.cipher.encrypt(queryCode), caseSealed: this.cipher.encrypt(JSON.stringify(mapCase(c, this.calendar.current(), today, user.role))) };
    });
    await this.events.committed(result.caseId, correlationId);
    // the row as written; a repeated request answers the first answer's case (not the case as it is since), its
    // code, and the duplicate hints as they are now (advice, not part of what was created)
    const mine = created?.id === result.caseId;
    const c = mine ? created! : (await this.cases.findById(result.caseId))!;
    const queryCode = mine && result.queryCodeSealed === null ? drawnCode! : this.cipher.decrypt(result.queryCodeSealed!);
    const answer = !mine && result.caseSealed ? (JSON.parse(this.cipher.decrypt(result.caseSealed)) as CaseDto) : mapCase(c, this.calendar.current(), today, user.role);
    return { case: answer, queryCode, duplicateHints: await this.hints(c) };
  }

  /** Portal intake: waits in `submitted` until a clerk confirms receipt (Art 31, our rule). */
  async intakeByPortal(dto: PortalIntakeDto, idempotencyKey: string | undefined, clientKey: string): Promise<{ trackingNumber: string; queryCode: string }> {
    const agencyId = dto.agencyId ? dto.agencyId.toLowerCase() : await this.defaultPortalAgency();
    if (!(await this.agencyService.exists(agencyId))) throw DomainError.field('agencyId', '受理机关不存在');
    const applicant = this.applicantColumns(dto);
    let drawnCode: string | undefined;
    const result = await this.idempotency.run(`portal:${clientKey}`, idempotencyKey, dto, async (m) => {
      const queryCode = (drawnCode = newQueryCode());
      const c = await this.create(m, {
        ...applicant,
        agencyId,
        channel: 'online',
        state: 'submitted',
        submittedAt: this.clock.now(),
        receiptDate: null,
        queryCodeHash: this.cipher.hash(QUERY_CODE_HASH, queryCode),
        createdBy: null,
      }, null, { action: 'submit', on: this.clock.today(), payload: { channel: 'online' } });
      return { trackingNumber: c.trackingNumber, queryCodeSealed: idempotencyKey === undefined ? null : this.cipher.encrypt(queryCode), caseId: c.id };
    });
    await this.events.committed(result.caseId);
    // without an Idempotency-Key nothing is stored and the code drawn here is the answer
    return { trackingNumber: result.trackingNumber, queryCode: result.queryCodeSealed === null ? drawnCode! : this.cipher.decrypt(result.queryCodeSealed) };
  }

  private async defaultPortalAgency(): Promise<string> {
    const id = await this.agencyService.defaultPortalAgencyId();
    if (!id) throw DomainError.field('agencyId', '请选择受理机关');
    return id;
  }

  /** Inserts a case with its first history row and derived clock, in the caller's transaction. */
  async create(
    m: EntityManager,
    fields: Partial<CaseEntity>,
    actor: AuthUser | null,
    first: { action: string; on: string | null; payload: Record<string, unknown>; queryCode?: string },
    correlationId?: string,
  ): Promise<CaseEntity> {
    const today = this.clock.today();
    const cal = await this.calendar.fresh(CALENDAR_COMMAND_MAX_AGE_MS); // as in every command that fixes a deadline (CaseActionsService.run)
    const base = { consultations: [], deliveries: [], correction: null, fee: null, extension: null, delayedUntil: null, concludedOn: null, ...fields } as CaseEntity;
    const year = Number((fields.receiptDate ?? today).slice(0, 4));
    const c = await this.cases.insert(m, { ...base, ...derivedColumns(base, cal, today) }, year);
    await this.cases.appendHistory(m, {
      caseId: c.id,
      at: this.clock.now(),
      on: first.on,
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? 'applicant',
      action: first.action,
      fromState: null,
      toState: c.state,
      payload: first.payload,
      recordedLate: first.on ? cal.countWorkingDays(first.on, today).workingDays > 1 : false,
      versionAfter: c.version,
    });
    await this.events.changed(m, c, { action: first.action, fromState: null, toState: c.state, correlationId, on: first.on, payload: first.payload, actorId: actor?.id ?? null, before: null, queryCode: first.queryCode });
    return c;
  }

  /**
   * 收费测算 (办法): what either tariff would charge for this application. Per item, its position among the same
   * applicant's applications received at the agency in the calendar month of its receipt date.
   */
  async feeQuote(id: string, user: AuthUser, tariff: FeeTariff, pages: number | undefined): Promise<FeeQuoteDto> {
    const c = await this.readable(id, user);
    if (!c.receiptDate || c.state === 'discarded') throw new DomainError('TRANSITION_NOT_ALLOWED', '尚未确认收到申请，不能测算信息处理费', { state: c.state });
    if (tariff === 'per_page' && pages === undefined) throw DomainError.field('pages', '按量计收须填写页数');
    if (tariff === 'per_item' && pages !== undefined) throw DomainError.field('pages', '按件计收不填写页数');
    const position = tariff === 'per_item' ? await this.cases.monthPosition(this.ds.manager, c.id) : undefined;
    const q = quoteFee({ tariff, position, pages });
    return {
      tariff: q.tariff,
      amount: q.amount,
      position: q.position,
      pages: q.pages,
      band: q.band ? { ...q.band } : null,
      breakdown: q.breakdown.map((b) => ({ ...b })),
      wording: q.wording,
      month: c.receiptDate.slice(0, 7),
    };
  }

  /** Reads one case the caller may see; 404 otherwise (admins do not read case contents: 403). */
  async get(id: string, user: AuthUser): Promise<CaseDto> {
    if (user.role === 'admin') throw new DomainError('FORBIDDEN', '系统管理员不查看案件内容');
    const found = await this.cases.findWithReviews(id);
    const access = found ? await this.access.of(found.c.agencyId, user) : 'none';
    if (!found || access === 'none') throw DomainError.notFound('案件');
    return mapCase(found.c, this.calendar.current(), this.clock.today(), user.role, found.reviews, access === 'act');
  }

  async readable(id: string, user: AuthUser): Promise<CaseEntity> {
    if (user.role === 'admin') throw new DomainError('FORBIDDEN', '系统管理员不查看案件内容');
    const c = await this.cases.findById(id);
    if (!c || (await this.access.of(c.agencyId, user)) === 'none') throw DomainError.notFound('案件');
    return c;
  }

  async list(user: AuthUser, f: CaseListFilter): Promise<{ items: CaseSummaryDto[]; nextCursor: string | null }> {
    if (user.role === 'admin') throw new DomainError('FORBIDDEN', '系统管理员不查看案件内容');
    // an agency outside the caller's reach is answered as one that does not exist (contract: 403 or 404)
    if (f.agencyId && (await this.access.of(f.agencyId, user)) === 'none') throw DomainError.notFound('机关');
    const today = this.clock.today();
    const rows = await this.cases.list(await this.listScope(user, f), f, today);
    const page = rows.slice(0, f.limit);
    return { items: page.map((c) => mapCaseSummary(c, today)), nextCursor: rows.length > f.limit ? page[page.length - 1].seq : null };
  }

  /**
   * The agencies a list reads: of the caller's (a clerk the own agency; supervisors and auditors the own agency and
   * below), those the filter names (`agencyId`, with the agencies below it unless `includeSubAgencies` is false).
   */
  private async listScope(user: AuthUser, f: CaseListFilter): Promise<string[]> {
    const own = user.agencyId!;
    const scope = user.role === 'clerk' ? [own] : await this.agencyService.subtreeIds(own);
    if (!f.agencyId) return scope;
    const named = f.includeSubAgencies === false ? [f.agencyId] : await this.agencyService.subtreeIds(f.agencyId);
    const reach = new Set(scope);
    return named.filter((id) => reach.has(id));
  }

  async history(id: string, user: AuthUser) {
    await this.readable(id, user);
    const rows = await this.cases.history(id);
    return {
      items: rows.map((h) => ({
        at: h.at.toISOString(),
        on: h.on,
        actor: h.actorId ? { id: h.actorId, role: h.actorRole } : { id: null, role: h.actorRole },
        action: h.action,
        fromState: h.fromState,
        toState: h.toState,
        payload: h.payload,
        recordedLate: h.recordedLate,
      })),
    };
  }

  /** An authorised reveal of the identity number and phone, itself recorded in the history. */
  async revealIdentity(id: string, user: AuthUser, reason: string): Promise<{ idNumber: string; phone: string | null }> {
    if (user.role !== 'clerk' && user.role !== 'supervisor') throw new DomainError('FORBIDDEN');
    return this.ds.transaction(async (m) => {
      const c = await this.cases.findById(id, m);
      const access = c ? await this.access.of(c.agencyId, user, m) : 'none';
      if (!c || access === 'none') throw DomainError.notFound('案件');
      if (access !== 'act') throw new DomainError('FORBIDDEN', '只有本机关人员可以查看完整证件号码');
      await this.cases.appendHistory(m, {
        caseId: c.id,
        at: this.clock.now(),
        on: this.clock.today(),
        actorId: user.id,
        actorRole: user.role,
        action: 'reveal-identity',
        fromState: c.state,
        toState: c.state,
        payload: { reason },
        recordedLate: false,
        versionAfter: c.version,
      });
      await this.audit.record({ kind: 'identity_reveal', userId: user.id, details: { caseId: c.id } }, m);
      return { idNumber: this.cipher.decrypt(c.applicantIdEnc), phone: c.applicantPhoneEnc ? this.cipher.decrypt(c.applicantPhoneEnc) : null };
    });
  }
}
