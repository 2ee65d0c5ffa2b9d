import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { LETTERS, type LetterCode } from '../statute/letter-catalogue';
import { PostalBatchRepository, POSTAL_BATCH_LIMIT, type LetterToPost } from './postal-batch.repository';
import { RenderPool } from './render-pool';

/** An EMS waybill number: the international form (EA123456789CN) or the domestic 13 digits; letters, digits, hyphens. */
export const WAYBILL = /^[A-Za-z0-9][A-Za-z0-9-]{7,38}[A-Za-z0-9]$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PostalBatch {
  on: string;
  items: (LetterToPost & { title: string })[];
}

export interface DispatchResult {
  on: string;
  dispatched: { letterId: string; waybillNumber: string }[];
}

/**
 * The daily postal batch (邮寄): the letters of the caller's agency that go by post and have not been handed to
 * the post, as a list and as one PDF (an address sheet before each letter, rendered in a render thread), and
 * the dispatch of the batch with each letter's EMS waybill number, in one transaction. The addressee's receipt
 * comes later, when the clerk records the signature date (`record-delivery` with the letter's id).
 */
@Injectable()
export class PostalBatchService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PostalBatchRepository,
    private readonly agencies: AgenciesRepository,
    private readonly pool: RenderPool,
    private readonly clock: Clock,
  ) {}

  /** Clerks and supervisors, of their own agency. */
  private agencyOf(user: AuthUser): string {
    if ((user.role !== 'clerk' && user.role !== 'supervisor') || !user.agencyId) throw new DomainError('FORBIDDEN', '仅经办人、负责人可办理本机关的邮寄');
    return user.agencyId;
  }

  private day(on: string | undefined, field = 'on'): string {
    const d = on ?? this.clock.today();
    if (d > this.clock.today()) throw DomainError.field(field, '日期不能晚于今天');
    return d;
  }

  async list(user: AuthUser, on?: string): Promise<PostalBatch> {
    const agencyId = this.agencyOf(user);
    const day = this.day(on);
    const items = await this.repo.pending(agencyId, day);
    return { on: day, items: items.map((i) => ({ ...i, title: LETTERS[i.code as LetterCode].title })) };
  }

  /** The batch's PDF: its rendered letters, each after its address sheet; 404 when there is none to post. */
  async pdf(user: AuthUser, on?: string): Promise<{ bytes: Buffer; on: string; letterIds: string[] }> {
    const agencyId = this.agencyOf(user);
    const day = this.day(on);
    const items = (await this.repo.pending(agencyId, day)).filter((i) => i.rendered);
    if (!items.length) throw new DomainError('NOT_FOUND', '没有待邮寄的文书');
    const agency = await this.agencies.findById(agencyId);
    const pdfs = await this.repo.pdfs(items.map((i) => i.letterId));
    const batch = items
      .filter((i) => pdfs.has(i.letterId))
      .map((i) => ({
        sheet: { addresseeName: i.addresseeName, address: i.address, senderName: agency?.name ?? '', contents: `《${LETTERS[i.code as LetterCode].title}》${i.number}` },
        letterPdf: new Uint8Array(pdfs.get(i.letterId)!),
      }));
    const bytes = await this.pool.renderBatch(batch);
    return { bytes, on: day, letterIds: items.map((i) => i.letterId) };
  }

  /**
   * Records the batch handed to the post on `on`: each named letter gets way `post`, the day and its waybill
   * number. All or nothing: any letter that is not one of the agency's letters to post (400, its field), or
   * already dispatched with another waybill (409), refuses the whole request. The same waybill again is a no-op.
   */
  async dispatch(user: AuthUser, waybills: Record<string, unknown>, on?: string): Promise<DispatchResult> {
    const agencyId = this.agencyOf(user);
    const day = this.day(on);
    const entries = Object.entries(waybills ?? {});
    if (!entries.length) throw DomainError.field('waybills', '请至少登记一件文书的邮件号');
    if (entries.length > POSTAL_BATCH_LIMIT) throw DomainError.field('waybills', `一次最多登记 ${POSTAL_BATCH_LIMIT} 件`);
    const problems: { field: string; message: string }[] = [];
    const seen = new Map<string, string>();
    for (const [id, w] of entries) {
      const field = `waybills.${id}`;
      if (!UUID.test(id)) problems.push({ field, message: '应为文书编号（UUID）' });
      else if (typeof w !== 'string' || !WAYBILL.test(w)) problems.push({ field, message: '邮件号应为 10 至 40 位字母、数字或连字符' });
      else if (seen.has(w.toUpperCase())) problems.push({ field, message: `邮件号与文书 ${seen.get(w.toUpperCase())} 重复` });
      else seen.set(w.toUpperCase(), id);
    }
    if (problems.length) throw DomainError.validation(problems, problems[0].message);
    const wanted = entries as [string, string][];
    return this.ds.transaction(async (m) => {
      const targets = await this.repo.lockTargets(m, wanted.map(([id]) => id));
      for (const [id, w] of wanted) {
        const t = targets.get(id);
        const field = `waybills.${id}`;
        // another agency's letter answers as an unknown one
        if (!t || t.agencyId !== agencyId) problems.push({ field, message: '不是本机关的文书' });
        else if (!t.byPost || (t.state !== 'issued' && t.dispatchWay !== 'post')) problems.push({ field, message: '该文书不是待邮寄的文书' });
        else if (!t.rendered) problems.push({ field, message: '该文书尚未生成 PDF，不能交寄' });
        else if (t.datedOn > day) problems.push({ field: 'on', message: '交寄日期不能早于文书日期' });
        else if (t.dispatchWay && t.dispatchReference !== w) {
          throw new DomainError('CONFLICT', '该文书已登记交寄，邮件号不同', { letterId: id, dispatchWay: t.dispatchWay });
        }
      }
      if (problems.length) throw DomainError.validation(problems, problems[0].message);
      for (const [id, w] of wanted) await this.repo.dispatch(m, id, day, w);
      return { on: day, dispatched: wanted.map(([letterId, waybillNumber]) => ({ letterId, waybillNumber })) };
    });
  }
}
