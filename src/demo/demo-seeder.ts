import { isIssued, LETTER_SERIES, LETTERS, type LetterCode } from '../statute/letter-catalogue';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import type { AuthUser } from '../auth/auth-user';
import { CalendarService } from '../calendar/calendar.service';
import { formatDayNumber, parseIsoDate } from '../statute/iso-date';
import type { WorkingCalendar } from '../statute/working-calendar';
import { BufferUpload } from '../cases/attachment-upload';
import type { AttachmentsService } from '../cases/attachments.service';
import type { CaseActionsService } from '../cases/case-actions.service';
import type { Consultation } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import type { CasesService } from '../cases/cases.service';
import type { CaseDto } from '../cases/dto/case-response.dto';
import { Clock, type ManualClock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LetterJobs } from '../letters/letter-jobs';
import type { LetterSupersede } from '../letters/letter-supersede.service';
import type { LetterEntity } from '../letters/letter.entity';
import { LettersRepository } from '../letters/letters.repository';
import { hashPassword } from '../users/users.service';
import { UsersRepository } from '../users/users.repository';
import { DEMO_CASES, type DemoCase, type DemoStep } from './demo-cases';
import { DEMO_AGENCIES, DEMO_PEOPLE } from './demo-city';
import { demoDocumentPdf } from './demo-document';

const DEMO_LOCK = 727_274;

/** The clock the demo's case services run on (DemoCasesModule): set to each step's day. */
export const DEMO_CLOCK = Symbol('DEMO_CLOCK');
/** CasesService on the demo clock. */
export const DEMO_INTAKE = Symbol('DEMO_INTAKE');
/** CaseActionsService on the demo clock. */
export const DEMO_ACTIONS = Symbol('DEMO_ACTIONS');
/** LetterSupersede on the demo clock. */
export const DEMO_SUPERSEDE = Symbol('DEMO_SUPERSEDE');
/** AttachmentsService on the demo clock. */
export const DEMO_ATTACHMENTS = Symbol('DEMO_ATTACHMENTS');

/** Who acts for an agency in the demo: its clerk, and its supervisor for approvals. */
interface AgencyActors {
  agencyId: string;
  clerk: AuthUser;
  supervisor: AuthUser;
}

/**
 * Seeds the demo city once into a database that has no agencies (DEMO_DATA=on), then its cases.
 * Passwords are random, printed once to standard output (not through the logger,
 * which redacts them) and written to ./var/demo-credentials.txt.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly ds: DataSource,
    private readonly agencies: AgenciesRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    private readonly cases: CasesRepository,
    @Inject(DEMO_CLOCK) private readonly demoClock: ManualClock,
    @Inject(DEMO_INTAKE) private readonly intake: CasesService,
    @Inject(DEMO_ACTIONS) private readonly actions: CaseActionsService,
    @Inject(DEMO_SUPERSEDE) private readonly supersede: LetterSupersede,
    private readonly letters: LettersRepository,
    private readonly letterJobs: LetterJobs,
    @Inject(DEMO_ATTACHMENTS) private readonly attachments: AttachmentsService,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    const credentials: string[] = [];
    const actors = new Map<string, AgencyActors>();
    const seeded = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
      if ((await this.agencies.count(m)) > 0) return false;
      const ids = new Map<string, string>();
      for (const a of DEMO_AGENCIES) {
        const saved = await this.agencies.insert(m, {
          name: a.name,
          code: a.code,
          parentId: a.parent ? ids.get(a.parent)! : null,
          reconsiderationBody: a.reconsiderationBody,
          court: a.court,
          letterPrefixes: Object.fromEntries(LETTER_SERIES.map((s) => [s, `${a.prefix}${LETTERS[s as LetterCode].abbrev}`])),
          phone: '0427-2800000',
        });
        ids.set(a.key, saved.id);
        const who: Partial<AgencyActors> = { agencyId: saved.id };
        for (const p of DEMO_PEOPLE[a.key]) {
          const username = `${a.code.replace(/^pj-/, '')}.${p.role}`;
          const password = randomBytes(9).toString('base64url');
          const user = await this.users.save(m, {
            username,
            passwordHash: await hashPassword(password),
            displayName: p.name,
            email: `${username}@demo.panjin.gov.cn`,
            role: p.role,
            agencyId: saved.id,
          });
          if (p.role === 'clerk' || p.role === 'supervisor') who[p.role] = { id: user.id, username, role: p.role, agencyId: saved.id };
          credentials.push(`${a.name}\t${p.role}\t${username}\t${password}`);
        }
        actors.set(a.key, who as AgencyActors);
      }
      return true;
    });
    if (!seeded) return false;
    const text = `# 演示账号 demo accounts (agency, role, username, password)\n${credentials.join('\n')}\n`;
    await mkdir(this.config.varDir, { recursive: true });
    const file = join(this.config.varDir, 'demo-credentials.txt');
    await writeFile(file, text, { mode: 0o600 });
    process.stdout.write(`\n${text}(also written to ${file})\n\n`);
    this.logger.log(`demo city seeded: ${DEMO_AGENCIES.length} agencies, ${credentials.length} users`);

    const started = Date.now();
    try {
      const n = await this.seedCases(actors);
      this.logger.log(`demo cases seeded: ${n} cases in ${Date.now() - started} ms`);
    } catch (e) {
      // the city is there; a broken scenario must not keep the service from starting
      this.logger.error(`demo cases not fully seeded: ${(e as Error).message}`);
    }
    return true;
  }

  // ------------------------------------------------------------------ the demo cases

  /** Replays DEMO_CASES through the case services on the demo clock; the number of cases created. */
  private async seedCases(actors: Map<string, AgencyActors>): Promise<number> {
    const realNow = this.clock.now();
    const today = this.clock.today();
    const cal = await this.calendar.fresh();
    let n = 0;
    const later: [number, () => Promise<number>][] = [];
    const scenario = async (i: number, run: () => Promise<number>): Promise<number> => {
      try {
        return await run();
      } catch (e) {
        const spec = DEMO_CASES[i];
        const detail = e instanceof DomainError ? ` [${e.code} ${JSON.stringify(e.details)}]` : '';
        throw new Error(`demo case #${i + 1} (${spec.agency}, ${spec.description.slice(0, 24)}…): ${(e as Error).message}${detail}`, { cause: e });
      }
    };
    for (const [i, spec] of DEMO_CASES.entries()) {
      n += await scenario(i, async () => {
        const { created, rest } = await this.replay(spec, i, actors.get(spec.agency)!, cal, today, realNow);
        if (rest) later.push([i, rest]);
        return created;
      });
    }
    // the scenarios waiting for a letter's PDF (rendered meanwhile in the render threads) go on
    for (const [i, rest] of later) n += await scenario(i, rest);
    this.demoClock.set(realNow);
    return n;
  }

  /** The day the case starts: receipt (clerk intake) or submission (portal), never so late that a step would be after today. */
  private startOf(spec: DemoCase, cal: WorkingCalendar, today: string): string {
    let start: string;
    if ('daysAgo' in spec.received) {
      start = formatDayNumber(parseIsoDate(today)! - spec.received.daysAgo);
      // letters signed for and portal submissions may arrive on a weekend; the rest is received on working days
      if (spec.channel !== 'registered_post' && spec.channel !== 'online' && !cal.isWorkingDay(start)) start = cal.previousWorkingDay(start).date;
    } else {
      start = cal.addWorkingDays(today, -spec.received.workingDaysAgo).date;
    }
    const last = Math.max(0, ...spec.steps.map((s) => s.d));
    if (last > 0 && cal.addWorkingDays(start, last).date > today) start = cal.addWorkingDays(today, -last).date;
    return start;
  }

  /**
   * One scenario: intake and every step, each at its day; the number of cases it created (1, or 2 when reopened).
   * A letter is superseded only once its PDF exists: at a `supersede-letter` step the letter is sent to the render
   * threads and the scenario stops there; `rest` goes on with it once rendered (after the other scenarios, so the
   * render does not hold up the seeding).
   */
  private async replay(spec: DemoCase, index: number, who: AgencyActors, cal: WorkingCalendar, today: string, realNow: Date): Promise<{ created: number; rest?: () => Promise<number> }> {
    const start = this.startOf(spec, cal, today);
    const dayOf = (d: number): string => (d === 0 ? start : cal.addWorkingDays(start, d).date);
    const fill = (s: string, year = Number(start.slice(0, 4))): string => s.replaceAll('{y-1}', String(year - 1)).replaceAll('{y}', String(year));
    let seq = 0;
    const setDay = (date: string): void => {
      // office hours, later for each step of the case; never after the real now
      const minutes = Math.min(9 * 60 + 3 + ((index * 37) % 100) + seq++ * 11, 17 * 60 + 45);
      const at = new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000);
      this.demoClock.set(at > realNow ? realNow : at);
    };

    const body = {
      applicant: { ...spec.applicant },
      description: fill(spec.description),
      ...(spec.documentNumber ? { documentNumber: fill(spec.documentNumber) } : {}),
      form: spec.form,
      delivery: spec.delivery,
    };
    let created = 1;
    let c: { id: string; version: number };
    setDay(start);
    if (spec.channel === 'online') {
      const { trackingNumber } = await this.intake.intakeByPortal({ ...body, agencyId: who.agencyId }, undefined, 'demo-seed');
      const row = (await this.cases.findByTrackingNumber(trackingNumber))!;
      c = { id: row.id, version: row.version };
    } else {
      c = (await this.intake.intakeByClerk({ ...body, channel: spec.channel, receiptDate: start }, undefined, who.clerk)).case;
      c = await this.actions.assign(c.id, who.supervisor, { assigneeId: who.clerk.id }, c.version);
    }

    const consultations: string[] = [];
    let review: string | null = null;
    /** the steps from the first; `rendered`: the first is a `supersede-letter` whose letter has its PDF */
    const run = async (steps: readonly DemoStep[], rendered: boolean): Promise<{ created: number; rest?: () => Promise<number> }> => {
      for (const [k, step] of steps.entries()) {
        if (step.act === 'supersede-letter' && !(rendered && k === 0)) {
          const pdf = this.renderCurrent(c.id, step.of);
          pdf.catch(() => undefined); // awaited by `rest`
          return {
            created,
            rest: async () => {
              await pdf;
              const before = created;
              const more = await run(steps.slice(k), true);
              return more.created - before + (more.rest ? await more.rest() : 0);
            },
          };
        }
        const on = dayOf(step.d);
        setDay(on);
        if (step.act === 'release-file') {
          // uploaded by the clerk like any file: typed, hashed and stored, with its history entry
          const file = { name: fill(step.name), bytes: await demoDocumentPdf(step.lines.map((l) => fill(l))), kind: 'release' as const };
          await this.attachments.upload(c.id, who.clerk, new BufferUpload(file));
          continue;
        }
        const dto = await this.step(step, c, on, { who, index, dayOf, fill, start, consultations, review });
        if (step.act === 'consult') consultations.push((dto.consultations as Consultation[]).at(-1)!.id);
        if (step.act === 'record-review') review = dto.reviews!.at(-1)!.id;
        if (step.act === 'reopen') created++;
        c = dto;
        if (step.act === 'confirm-receipt') c = await this.actions.assign(c.id, who.supervisor, { assigneeId: who.clerk.id }, c.version);
      }
      return { created };
    };
    return run(spec.steps, false);
  }

  /** The case's current letter of this kind, rendered (in the render threads) as the workers would have by then. */
  private async renderCurrent(caseId: string, code: LetterCode): Promise<void> {
    await this.letterJobs.render(this.currentLetter(await this.letters.ofCase(caseId), code));
  }

  private currentLetter(letters: readonly LetterEntity[], code: LetterCode): string {
    const letter = letters.find((l) => l.code === code && isIssued(l.state));
    if (!letter) throw new Error(`no issued ${code} to supersede`);
    return letter.id;
  }

  private async step(
    s: DemoStep,
    c: { id: string; version: number },
    on: string,
    x: { who: AgencyActors; index: number; dayOf: (d: number) => string; fill: (t: string, year?: number) => string; start: string; consultations: string[]; review: string | null },
  ): Promise<CaseDto> {
    const { clerk, supervisor } = x.who;
    const a = this.actions;
    switch (s.act) {
      case 'confirm-receipt':
        return a.confirmReceipt(c.id, clerk, { on }, c.version);
      case 'discard':
        return a.discard(c.id, clerk, { reason: s.reason }, c.version);
      case 'request-correction':
        return a.requestCorrection(c.id, clerk, { on, items: s.items, ...(s.periodDays ? { periodDays: s.periodDays } : {}) }, c.version);
      case 'record-correction':
        return a.recordCorrection(c.id, clerk, { on, content: x.fill(s.content) }, c.version);
      case 'consult':
        return a.consult(c.id, clerk, { on, party: s.party, name: s.name, jointMaker: s.jointMaker ?? false }, c.version);
      case 'end-consultation':
        return a.endConsultation(c.id, clerk, { on, consultationId: x.consultations[s.which], opinion: s.opinion, ...(s.note ? { note: s.note } : {}) }, c.version);
      case 'request-extension':
        return a.requestExtension(c.id, clerk, { on, days: s.days, reason: s.reason }, c.version);
      case 'approve-extension':
        return a.approveExtension(c.id, supervisor, { on }, c.version);
      case 'set-delayed-reply':
        return a.setDelayedReply(c.id, supervisor, { on, until: x.dayOf(s.untilD), reason: s.reason }, c.version);
      case 'notify-fee':
        return a.notifyFee(c.id, clerk, { on, tariff: 'per_page', pages: s.pages, ...(s.basis ? { basis: s.basis } : {}) }, c.version);
      case 'record-payment': {
        const amount = ((await this.cases.findById(c.id))!.fee?.amount) ?? 0;
        return a.recordPayment(c.id, clerk, { on, amount, receiptNumber: `辽非税（${on.slice(0, 4)}）${String(210_347 + x.index * 613).padStart(8, '0')}` }, c.version);
      }
      case 'forward': {
        const to = (await this.agencies.findByCode(s.to))!;
        return a.forward(c.id, clerk, { agencyId: to.id, reason: s.reason }, c.version);
      }
      case 'request-reasons':
        return a.requestReasons(c.id, clerk, { on, items: s.items }, c.version);
      case 'record-reasons':
        return a.recordReasons(c.id, clerk, { on, content: s.content, reasonable: s.reasonable }, c.version);
      case 'draft-reply': {
        const earlier = s.earlierReply ? formatDayNumber(parseIsoDate(x.start)! - s.earlierReply.daysBeforeStart) : null;
        return a.draftReply(
          c.id,
          clerk,
          {
            outcome: s.outcome,
            ...(s.reasons ? { reasons: x.fill(s.reasons) } : {}),
            ...(s.withheldParts ? { withheldParts: s.withheldParts } : {}),
            ...(s.grounds ? { grounds: s.grounds } : {}),
            ...(s.competentAgency ? { competentAgency: s.competentAgency } : {}),
            ...(s.earlierReply && earlier ? { earlierReply: { beforeSystem: true, documentNumber: x.fill(s.earlierReply.documentNumber, Number(earlier.slice(0, 4))), date: earlier } } : {}),
          },
          c.version,
        );
      }
      case 'approve-reply': {
        // as many sign-off steps as the agency has
        let dto = await a.approveReply(c.id, supervisor, { confidentialityReviewed: true }, c.version);
        for (let i = 0; dto.state === 'reply_review' && i < 5; i++) dto = await a.approveReply(c.id, supervisor, { confidentialityReviewed: true }, dto.version);
        return dto;
      }
      case 'return-reply':
        return a.returnReply(c.id, supervisor, { reason: s.reason }, c.version);
      case 'issue-reply':
        return a.issueReply(c.id, clerk, { on }, c.version);
      case 'record-delivery':
        return a.recordDelivery(
          c.id,
          clerk,
          { of: s.of, on, method: s.method, ...(s.method === 'post' ? { waybillNumber: `11${String(3_700_412_059 + x.index * 7_919).padStart(11, '0')}` } : {}) },
          c.version,
        );
      case 'conclude-lapsed':
        return a.concludeLapsed(c.id, clerk, { on, reason: s.reason }, c.version);
      case 'withdraw':
        return a.withdraw(c.id, clerk, { on, reason: s.reason }, c.version);
      case 'record-review':
        return a.recordReview(c.id, clerk, { kind: s.kind, filedOn: on, ...(s.note ? { note: s.note } : {}) }, c.version);
      case 'update-review':
        return a.updateReview(x.review!, clerk, { result: s.result, concludedOn: x.dayOf(s.concludedD), decisionReceivedOn: on, ...(s.note ? { note: s.note } : {}) });
      case 'reopen':
        return a.reopen(c.id, supervisor, { on }, c.version);
      case 'supersede-letter': {
        // rendered before (replay): only a letter that exists as a document is superseded
        const letterId = this.currentLetter(await this.letters.ofCase(c.id), s.of);
        await this.supersede.supersede(letterId, supervisor, { expectedVersion: c.version, reason: s.reason, confidentialityReviewed: true, ...(s.reply ? { reply: s.reply } : {}) });
        return this.intake.get(c.id, supervisor);
      }
      case 'release-file':
        throw new Error('a release file is uploaded by replay()');
    }
  }
}
