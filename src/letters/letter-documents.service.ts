import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { CasesService } from '../cases/cases.service';
import { isIssued, LETTERS, wentOut } from '../statute/letter-catalogue';
import { providesFiles } from '../statute/release-files';
import { buildLetterFacts, numberParts, withProvidedFiles } from './letter-facts.builder';
import { LetterDeliveries } from './letter-deliveries.service';
import { LetterWorkRepository } from './letter-work.repository';
import type { LetterEntity } from './letter.entity';
import { ReleaseFilesRepository } from './release-files.repository';
import { RenderPool } from './render-pool';
import { LetterTemplatesService } from './templates/letter-templates.service';

/** seconds a client waits before asking again for a PDF not yet rendered */
export const NOT_RENDERED_RETRY_AFTER_S = 5;

export interface LetterDocument {
  bytes: Buffer;
  sha256: string;
  filename: string;
}

const filenameOf = (l: LetterEntity): string => `${LETTERS[l.code].title}${l.number ? `-${l.number}` : '-草稿'}.pdf`;

/** Serving the letters' PDFs: staff (scoped like the case), the draft preview, the portal's downloads. */
@Injectable()
export class LetterDocuments {
  private readonly logger = new Logger(LetterDocuments.name);

  constructor(
    private readonly deliveries: LetterDeliveries,
    private readonly repo: LetterWorkRepository,
    private readonly release: ReleaseFilesRepository,
    private readonly cases: CasesService,
    private readonly pool: RenderPool,
    private readonly templates: LetterTemplatesService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** The letter, for one who may read its case; 404 otherwise (an admin: 403). */
  private async readable(id: string, user: AuthUser): Promise<LetterEntity> {
    if (user.role === 'admin') throw new DomainError('FORBIDDEN', '系统管理员不查看案件内容');
    const letter = await this.repo.findById(id);
    if (!letter) throw DomainError.notFound('文书');
    try {
      await this.cases.readable(letter.caseId, user);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') throw DomainError.notFound('文书');
      throw e;
    }
    return letter;
  }

  /** Staff read every letter that went out, a superseded one too (its PDF as it was sent). */
  async staffPdf(id: string, user: AuthUser): Promise<LetterDocument> {
    const letter = await this.readable(id, user);
    return this.stored(letter);
  }

  /** A letter's stored PDF once it went out; 409 LETTER_NOT_RENDERED (with Retry-After) until the worker stored it. */
  private async stored(letter: LetterEntity): Promise<LetterDocument> {
    if (!wentOut(letter.state)) throw new DomainError('LETTER_NOT_RENDERED', '文书尚未印发，没有正式 PDF；草稿请使用预览', { state: letter.state });
    const pdf = letter.renderedAt ? await this.repo.pdf(letter.id) : null;
    if (!pdf) throw new DomainError('LETTER_NOT_RENDERED', undefined, { retryAfterSeconds: NOT_RENDERED_RETRY_AFTER_S });
    return { bytes: pdf.bytes, sha256: pdf.sha256, filename: filenameOf(letter) };
  }

  /** A draft (or approved, not yet issued) letter rendered as it stands, without a number; never stored. */
  async preview(id: string, user: AuthUser): Promise<LetterDocument> {
    if (user.role !== 'clerk' && user.role !== 'supervisor') throw new DomainError('FORBIDDEN', '仅经办人、负责人可预览文书草稿');
    const letter = await this.readable(id, user);
    if (letter.state !== 'draft' && letter.state !== 'approved') throw new DomainError('TRANSITION_NOT_ALLOWED', '文书已印发或已作废，请下载其 PDF');
    if (letter.code !== 'reply') throw new DomainError('TRANSITION_NOT_ALLOWED', '接收回执在确认收到申请时印发，没有草稿预览');
    const ctx = await this.repo.context(id);
    if (!ctx) throw DomainError.notFound('文书');
    const facts = withProvidedFiles(
      buildLetterFacts(
        { code: letter.code, outcome: letter.outcome, addressee: letter.addressee, consultationId: letter.consultationId, datedOn: this.clock.today(), number: numberParts(letter.number) },
        ctx.c,
        ctx.agency,
        this.calendar.current(),
      ),
      // the files the reply would provide if issued now
      providesFiles(letter.outcome) ? await this.release.candidates(letter.caseId) : [],
    );
    const tpl = await this.templates.inForce(letter.agencyId, facts.template);
    const bytes = await this.pool.render(facts, tpl.source);
    return { bytes, sha256: '', filename: filenameOf(letter) };
  }

  /**
   * The portal's download (the caller has shown the case's query code): a letter to the applicant that went
   * out, and is the case's. Anything else answers 404 like an unknown letter.
   */
  async portalPdf(caseId: string, letterId: string): Promise<{ doc: LetterDocument; letter: LetterEntity }> {
    const letter = await this.repo.findById(letterId);
    if (!letter || letter.caseId !== caseId || letter.addressee !== 'applicant' || !isIssued(letter.state)) throw new DomainError('NOT_FOUND', '未找到该文书');
    return { doc: await this.stored(letter), letter };
  }

  /**
   * The first portal download of a letter by an applicant who chose the portal is its receipt (送达): recorded
   * as the case's `record-delivery` by the applicant, that day, once (a second download, also a concurrent one,
   * records nothing). Never fails the download.
   */
  async recordPortalDownload(caseId: string, letterId: string): Promise<void> {
    try {
      await this.deliveries.record(letterId, 'online', this.clock.today());
    } catch (e) {
      this.logger.warn({ caseId, letterId, err: (e as Error).message }, 'portal download not recorded as delivery');
    }
  }
}
