import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { JobRegistry } from '../infra/queue/job-registry';
import { QueueService } from '../infra/queue/queue.service';
import { WorkerHost } from '../infra/queue/worker-host';
import { StoragePort } from '../common/storage/storage.port';
import { MailPort, type MailMessage } from '../notifications/mail/mail.port';
import { LETTERS } from '../statute/letter-catalogue';
import { providedFileLine } from '../statute/release-files';
import { portalFilePath } from './dto/letter.dto';
import { buildLetterFacts, numberParts } from './letter-facts.builder';
import { LetterDeliveries, type ReceiptOutcome } from './letter-deliveries.service';
import { LetterWorkRepository, type LetterContext } from './letter-work.repository';
import { ReleaseFilesRepository, type ReleasedFile } from './release-files.repository';
import { RenderPool } from './render-pool';
import type { LetterFacts, TemplateCode } from './rendering';
import { LetterTemplatesService } from './templates/letter-templates.service';

/** the sweep's period, and how old an unrendered (or unmailed) letter must be before the sweep takes it */
export const LETTER_SWEEP_INTERVAL_MS = 30_000;
export const LETTER_SWEEP_GRACE_MS = 60_000;
const SWEEP_BATCH = 500;


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RenderOutcome = 'rendered' | 'already' | 'skipped';
export type MailOutcome = 'sent' | 'already' | 'skipped' | 'busy';

/**
 * The letters' documents in the workers: each issued letter is a job carrying its id (enqueued after the
 * step's commit), rendered in a render thread and stored once; a letter to an applicant who chose e-mail is
 * then sent with its PDF, once. A sweep on its own timer re-enqueues what a lost job (a Redis outage, a
 * killed worker) left undone.
 */
@Injectable()
export class LetterJobs implements OnModuleInit {
  private readonly logger = new Logger(LetterJobs.name);

  constructor(
    private readonly ds: DataSource,
    private readonly repo: LetterWorkRepository,
    private readonly queue: QueueService,
    private readonly registry: JobRegistry,
    private readonly workers: WorkerHost,
    private readonly pool: RenderPool,
    private readonly templates: LetterTemplatesService,
    private readonly cipher: PersonalDataCipher,
    private readonly mail: MailPort,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: LetterDeliveries,
    private readonly release: ReleaseFilesRepository,
    private readonly storage: StoragePort,
  ) {}

  onModuleInit(): void {
    this.registry.register('letter.render', async (data) => {
      const outcome = await this.render(data.letterId);
      if (outcome === 'rendered' || outcome === 'already') await this.enqueueMail(data.letterId, data.correlationId);
      return outcome;
    });
    this.registry.register('letter.email', async (data) => {
      const outcome = await this.sendMail(data.letterId);
      if (outcome === 'busy') throw new Error(`letter ${data.letterId} is being mailed by another worker`);
      if (outcome === 'sent' || outcome === 'already') await this.receiveMailed(data.letterId);
      return outcome;
    });
    this.workers.every(LETTER_SWEEP_INTERVAL_MS, 'letters-sweep', () => this.sweepOnce());
  }

  /** After a step's commit: a job per issued letter of the case not rendered yet. Never throws. */
  async renderCase(caseId: string, correlationId?: string): Promise<void> {
    const ids = await this.repo.unrenderedOfCase(caseId);
    if (!ids.length) return;
    try {
      await this.queue.addBulk('letter.render', ids.map((letterId) => ({ data: { letterId, correlationId }, opts: { jobId: `letter.render.${letterId}` } })));
    } catch (e) {
      this.logger.warn({ caseId, err: (e as Error).message }, 'letter render jobs not enqueued; the sweep will');
    }
  }

  private async enqueueMail(letterId: string, correlationId?: string): Promise<void> {
    if (!(await this.wantsMail(letterId))) return;
    await this.queue.add('letter.email', { letterId, correlationId }, { jobId: `letter.email.${letterId}` });
  }

  /**
   * One pass: letters issued a while ago and still without PDF, and rendered letters still unmailed, are
   * enqueued again (a job id per pass: BullMQ keeps finished ids a day, and rendering and mailing are
   * idempotent, so a duplicate costs nothing). Returns how many jobs it enqueued.
   */
  async sweepOnce(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - LETTER_SWEEP_GRACE_MS);
    const pass = Date.now().toString(36);
    const render = await this.repo.unrenderedBefore(before, SWEEP_BATCH);
    await this.queue.addBulk('letter.render', render.map((letterId) => ({ data: { letterId }, opts: { jobId: `letter.render.${letterId}.${pass}` } })));
    // unmailed, and mailed but whose receipt a stopped worker did not record yet: the job does both, once each
    const mail = [...(await this.repo.unmailedBefore(before, SWEEP_BATCH)), ...(await this.repo.mailedUndeliveredBefore(before, SWEEP_BATCH))];
    await this.queue.addBulk('letter.email', mail.map((letterId) => ({ data: { letterId }, opts: { jobId: `letter.email.${letterId}.${pass}` } })));
    if (render.length || mail.length) this.logger.log({ render: render.length, mail: mail.length }, 'letters sweep enqueued');
    return render.length + mail.length;
  }

  /** The facts an issued letter prints, with the receipt's query code unsealed for this render only. */
  factsOf(ctx: LetterContext): LetterFacts {
    const { letter, c, agency } = ctx;
    const stored = letter.facts as LetterFacts | null;
    const facts =
      stored ??
      buildLetterFacts(
        { code: letter.code, outcome: letter.outcome, addressee: letter.addressee, consultationId: letter.consultationId, datedOn: letter.datedOn ?? this.clock.today(), number: numberParts(letter.number) },
        c,
        agency,
        this.calendar.current(),
      );
    return letter.sealedQueryCode ? { ...facts, queryCode: this.cipher.decrypt(letter.sealedQueryCode) } : facts;
  }

  /**
   * Renders an issued letter and stores its PDF, once: a letter already rendered is left alone, and of two
   * renders at once only the first commit stores (the other changes nothing).
   */
  async render(letterId: string): Promise<RenderOutcome> {
    if (!UUID.test(letterId)) return 'skipped';
    const ctx = await this.repo.context(letterId);
    if (!ctx || (ctx.letter.state !== 'issued' && ctx.letter.state !== 'delivered')) return 'skipped';
    if (ctx.letter.renderedAt) return 'already';
    const { letter } = ctx;
    // the agency's version of the template the letter was made from, as it was then
    const source = letter.templateCode && letter.templateVersion ? await this.templates.sourceOf(letter.agencyId, letter.templateCode as TemplateCode, letter.templateVersion) : null;
    const pdf = await this.pool.render(this.factsOf(ctx), source);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const stored = await this.repo.storePdf(letterId, pdf, sha, this.clock.now());
    return stored ? 'rendered' : 'already';
  }

  private async wantsMail(letterId: string): Promise<boolean> {
    const ctx = await this.repo.context(letterId);
    return !!ctx && ctx.letter.addressee === 'applicant' && ctx.c.delivery === 'email' && !!ctx.c.applicantEmail && !ctx.letter.mailedAt && (ctx.letter.state === 'issued' || ctx.letter.state === 'delivered');
  }

  /**
   * By our rule for e-mail the day the receiving server accepted the mail is the addressee's receipt: recorded
   * as the case's delivery of this letter (as `record-delivery` would), once; again by the sweep if a worker
   * stopped between the mail's commit and this.
   */
  async receiveMailed(letterId: string): Promise<ReceiptOutcome> {
    const letter = await this.repo.findById(letterId);
    if (!letter?.mailedAt || !letter.dispatchedOn) return 'skipped';
    if (letter.state !== 'issued') return 'already';
    return this.deliveries.record(letterId, 'email', letter.dispatchedOn);
  }

  /**
   * The files provided with a reply, for its mail: attached beside the PDF when together within RELEASE_MAIL_MAX_BYTES,
   * otherwise named with their portal links (downloaded with the query code).
   */
  private async releaseFiles(letterId: string, trackingNumber: string, m: EntityManager): Promise<{ paragraphs: Paragraph[]; attachments: MailAttachment[] }> {
    const files = await this.release.ofLetter(letterId, m);
    if (!files.length) return { paragraphs: [], attachments: [] };
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total <= this.config.releaseMailMaxBytes) {
      const attachments: MailAttachment[] = [];
      for (const f of files) attachments.push({ filename: f.fileName, content: await readStored(this.storage, f), contentType: f.contentType });
      return { paragraphs: [{ text: `随答复向您提供的文件共${files.length}个，一并附后：${files.map(providedFileLine).join('；')}。` }], attachments };
    }
    const base = this.config.publicUrl.replace(/\/+$/, '');
    return {
      paragraphs: [
        { text: `随答复向您提供的文件共${files.length}个（合计 ${megabytes(total)}），超过邮件附件的大小上限，未随本邮件发送。请在政府信息公开申请平台凭查询号 ${trackingNumber} 和查询码下载（下载时须提供查询码）：` },
        ...files.map((f) => ({ text: `${providedFileLine(f)}：`, link: `${base}${portalFilePath(trackingNumber, f.attachmentId)}` })),
      ],
      attachments: [],
    };
  }

  /**
   * Sends a rendered letter to the applicant who chose e-mail, with its PDF, once: the row is locked while
   * the server is asked (a concurrent sender skips it), and marked with the message id in the same
   * transaction once the server accepted; a refusal leaves it unmarked for the retry.
   */
  async sendMail(letterId: string): Promise<MailOutcome> {
    if (!UUID.test(letterId)) return 'skipped';
    try {
      return await this.ds.transaction(async (m) => {
        const lock = await this.repo.lockForMail(m, letterId);
        if (!lock) return 'busy';
        if (lock.mailedAt) return 'already';
        const ctx = await this.repo.context(letterId, m);
        if (!ctx || !(await this.wantsMail(letterId))) return 'skipped';
        const pdf = await this.repo.pdf(letterId);
        if (!pdf) return 'skipped'; // rendered first; the render job enqueues the mail
        const { letter, c, agency } = ctx;
        const title = LETTERS[letter.code].title;
        const domain = new URL(this.config.publicUrl).hostname || 'localhost';
        const messageId = `<letter.${letter.id}@${domain}>`;
        const files = await this.releaseFiles(letterId, c.trackingNumber, m);
        const paragraphs: Paragraph[] = [
          { text: `${c.applicantName}：` },
          { text: '' },
          { text: `${agency.name}就您的政府信息公开申请（查询号 ${c.trackingNumber}）发出《${title}》（${letter.number}），见附件 PDF。` },
          ...files.paragraphs,
          { text: '本邮件由系统自动发送，请勿直接回复。' },
        ];
        await this.mail.send({
          to: [c.applicantEmail!],
          subject: `${title}（${letter.number}）`,
          text: paragraphs.map((p) => (p.link ? `${p.text}${p.link}` : p.text)).join('\n'),
          html: paragraphs.filter((p) => p.text).map((p) => `<p>${escapeHtml(p.text)}${p.link ? `<a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a>` : ''}</p>`).join(''),
          messageId,
          attachments: [{ filename: `${title}-${letter.number}.pdf`, content: pdf.bytes, contentType: 'application/pdf' }, ...files.attachments],
        });
        await this.repo.markMailed(m, letterId, this.clock.now(), this.clock.today(), messageId);
        return 'sent';
      });
    } catch (e) {
      await this.repo.recordMailError(letterId, (e as Error).message).catch(() => undefined);
      throw e;
    }
  }
}

/** A paragraph of a letter's mail, with a link after its text. */
interface Paragraph {
  text: string;
  link?: string;
}

type MailAttachment = NonNullable<MailMessage['attachments']>[number];

/** The whole stored file (its SHA-256 checked against its record: a file changed on disk is never sent). */
async function readStored(storage: StoragePort, f: ReleasedFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(f.storageKey)) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  if (createHash('sha256').update(bytes).digest('hex') !== f.sha256) throw new Error(`stored file of attachment ${f.attachmentId} differs from its record`);
  return bytes;
}

const megabytes = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
