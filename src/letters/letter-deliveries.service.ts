import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseActionsService } from '../cases/case-actions.service';
import { DomainError } from '../common/errors/domain-error';
import { LetterWorkRepository } from './letter-work.repository';

export type ReceiptOutcome = 'recorded' | 'already' | 'skipped' | 'letter-only';

/**
 * The addressee's receipt (送达) of a letter that the system itself knows of: the day the applicant's mail
 * server accepted the e-mail, the applicant's first portal download. It becomes the case's delivery exactly as
 * a clerk's `record-delivery` would make it (the correction, payment and third-party periods run from it),
 * through the case module's own command, once per letter: an advisory lock on the letter serialises two
 * workers (or two downloads), and a letter already delivered is left alone.
 */
@Injectable()
export class LetterDeliveries {
  private readonly logger = new Logger(LetterDeliveries.name);

  constructor(
    private readonly ds: DataSource,
    private readonly actions: CaseActionsService,
    private readonly repo: LetterWorkRepository,
  ) {}

  /**
   * Records `on` as the receipt of an issued letter, by `method`, unless it is recorded already. A case that
   * refuses the step for good (a rule of the case, not a conflict) still gets the receipt on the letter
   * ('letter-only'); a version conflict (a step at the same moment) throws, for the caller's retry.
   */
  async record(letterId: string, method: 'email' | 'online', on: string): Promise<ReceiptOutcome> {
    return this.ds.transaction(async (m) => {
      // held to this transaction's end: the case's command below runs (and commits) in its own
      await this.repo.lockReceipt(m, letterId);
      const letter = await this.repo.findById(letterId, m);
      if (!letter) return 'skipped';
      if (letter.state !== 'issued') return letter.state === 'delivered' ? 'already' : 'skipped';
      try {
        await this.actions.recordDelivery(letter.caseId, { portal: true }, { letterId, method, on });
        return 'recorded';
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === 'CASE_VERSION_CONFLICT') throw e;
        this.logger.warn({ caseId: letter.caseId, letterId, code: e.code }, 'receipt not recorded on the case; recorded on the letter only');
        await this.repo.markReceived(m, letterId, on, method);
        return 'letter-only';
      }
    });
  }
}
