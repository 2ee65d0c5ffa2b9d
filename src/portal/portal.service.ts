import { Inject, Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { DomainError } from '../common/errors/domain-error';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service';
import { CaseActionsService } from '../cases/case-actions.service';
import type { CaseEntity } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { CasesService, QUERY_CODE_HASH } from '../cases/cases.service';
import { portalView } from '../cases/dto/case-response.dto';
import type { PortalIntakeDto } from '../cases/dto/intake.dto';
import type { AttachmentDownload } from '../cases/attachments.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { portalFilePath, portalLetterPath, portalLetters } from '../letters/dto/letter.dto';
import { LetterDocuments, type LetterDocument } from '../letters/letter-documents.service';
import { LettersRepository } from '../letters/letters.repository';
import { ReleaseFilesRepository } from '../letters/release-files.repository';
import { StoragePort } from '../common/storage/storage.port';
import type { PortalApplicationDto } from './dto/portal-application.dto';
import { AgenciesRepository } from '../agencies/agencies.repository';

/** Submissions per client address per hour, and look-ups per address per minute. */
export const PORTAL_SUBMISSIONS_PER_HOUR = 20;
export const PORTAL_LOOKUPS_PER_MINUTE = 60;

/**
 * The public portal: applicants have no account; a case is reached by its tracking number
 * and the query code, compared in constant time. Unknown number and wrong code answer alike.
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly actions: CaseActionsService,
    private readonly cipher: PersonalDataCipher,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly letters: LettersRepository,
    private readonly agencies: AgenciesRepository,
    private readonly docs: LetterDocuments,
    private readonly release: ReleaseFilesRepository,
    private readonly storage: StoragePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(dto: PortalIntakeDto, idempotencyKey: string | undefined, clientAddress: string) {
    await this.limiter.hit(`portal:submit:${clientAddress}`, PORTAL_SUBMISSIONS_PER_HOUR, 3600, '提交过于频繁，请稍后再试');
    return this.cases.intakeByPortal(dto, idempotencyKey, clientAddress);
  }

  private async find(number: string, queryCode: string | undefined, clientAddress: string): Promise<CaseEntity> {
    await this.limiter.hit(`portal:lookup:${clientAddress}`, PORTAL_LOOKUPS_PER_MINUTE, 60);
    const notFound = new DomainError('NOT_FOUND', '未找到该申请，或查询码不正确');
    const trackingNumber = number.trim().toUpperCase(); // as people type it, like the query code
    if (!/^[A-Z0-9]{4,20}$/.test(trackingNumber) || !queryCode || queryCode.length > 64) throw notFound;
    const c = await this.repo.findByTrackingNumber(trackingNumber);
    // compare against a dummy when unknown, so timing does not tell which part was wrong
    const code = queryCode.trim().toUpperCase();
    const ok = this.cipher.matchesWith(QUERY_CODE_HASH, code, c?.queryCodeHash ?? '0'.repeat(64));
    if (!c || !ok || c.state === 'discarded') throw notFound;
    // hashed with HASH_KEY_OLD (before a key rotation): the applicant just gave the code, so hash it with the current key
    if (ok === 'old') await this.repo.replaceQueryCodeHash(c.id, c.queryCodeHash, this.cipher.hash(QUERY_CODE_HASH, code));
    return c;
  }

  async track(trackingNumber: string, queryCode: string | undefined, clientAddress: string): Promise<PortalApplicationDto> {
    const c = await this.find(trackingNumber, queryCode, clientAddress);
    const reopened = c.state === 'concluded' ? await this.repo.reopenedTrackingNumberOf(c.id) : null;
    const agency = await this.agencies.findById(c.agencyId);
    const base = this.config.publicUrl.replace(/\/+$/, '');
    const files = (await this.release.ofCase(c.id)).map((f) => ({ id: f.attachmentId, name: f.fileName, size: f.size, sha256: f.sha256, url: `${base}${portalFilePath(c.trackingNumber, f.attachmentId)}` }));
    return { ...portalView(c, this.calendar.current(), this.clock.today(), portalLetters(await this.letters.ofCase(c.id), (l) => `${base}${portalLetterPath(c.trackingNumber, l.id)}`), reopened, agency?.name ?? ''), files };
  }

  /**
   * A file provided with the case's reply, downloaded with the query code: only a file a current reply (granted or
   * partial) provided; a wrong code, an unknown number, another case's attachment and any other attachment answer
   * the same 404.
   */
  async file(trackingNumber: string, queryCode: string | undefined, attachmentId: string, clientAddress: string): Promise<AttachmentDownload & { sha256: string }> {
    const c = await this.find(trackingNumber, queryCode, clientAddress);
    const f = await this.release.providedOfCase(c.id, attachmentId);
    if (!f) throw new DomainError('NOT_FOUND', '未找到该文件');
    return { stream: await this.storage.get(f.storageKey), contentType: f.contentType, size: f.size, fileName: f.fileName, sha256: f.sha256 };
  }

  /**
   * A letter sent to the applicant, downloaded with the case's query code (the same 404 for a wrong code, an
   * unknown number, and a letter not the applicant's). For an applicant who chose the portal, the first
   * download is the letter's receipt.
   */
  async letterPdf(trackingNumber: string, queryCode: string | undefined, letterId: string, clientAddress: string): Promise<LetterDocument> {
    const c = await this.find(trackingNumber, queryCode, clientAddress);
    const { doc } = await this.docs.portalPdf(c.id, letterId);
    if (c.delivery === 'online') await this.docs.recordPortalDownload(c.id, letterId);
    return doc;
  }

  /** Art 30: a correction submitted online; its submission date is the correction's receipt date. */
  async correct(trackingNumber: string, queryCode: string | undefined, content: string, clientAddress: string) {
    const c = await this.find(trackingNumber, queryCode, clientAddress);
    if (c.state !== 'awaiting_correction') throw new DomainError('TRANSITION_NOT_ALLOWED', '本申请目前无需补正');
    // no expected version: the applicant did not see one, and a clerk's step meanwhile (an assignment, a delivery)
    // must not refuse the correction; the command reads the case in its transaction and still compares-and-sets
    await this.actions.recordCorrection(c.id, { portal: true }, { content, on: this.clock.today() });
    return this.track(trackingNumber, queryCode, clientAddress);
  }
}
