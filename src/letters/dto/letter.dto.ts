import { ApiProperty } from '@nestjs/swagger';
import { LETTER_CODES, LETTER_STATES, LETTERS, isIssued, type Addressee, type LetterCode, type LetterState } from '../../statute/letter-catalogue';
import type { LetterEntity } from '../letter.entity';

/** One sign-off step of a reply. */
export class SignOffDto {
  @ApiProperty({ type: 'integer' }) step: number;
  @ApiProperty({ description: '签批步骤名称（机关设置）' }) name: string;
  @ApiProperty({ format: 'uuid', description: '签批人' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** A letter as staff see it. */
export class LetterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LETTER_CODES, description: '文书种类' }) code: LetterCode;
  @ApiProperty({ description: '文书名称' }) title: string;
  @ApiProperty({ type: String, nullable: true, description: '答复类型（答复书）' }) outcome: string | null;
  @ApiProperty({ enum: ['applicant', 'third_party', 'other_agency'], description: '受送达人' }) addressee: Addressee;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '所涉征求意见' }) consultationId: string | null;
  @ApiProperty({ enum: LETTER_STATES, description: 'draft 草稿, approved 已签批, issued 已印发, delivered 已送达, cancelled 未发出, superseded 已被更正（由 supersededBy 所指文书替代）' }) state: LetterState;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '成文日期' }) datedOn: string | null;
  @ApiProperty({ type: String, nullable: true, description: '发文字号', example: '盘政办依复〔2026〕12号' }) number: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) issuedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '签批人' }) approvedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '受送达人收到之日' }) deliveredOn: string | null;
  @ApiProperty({ type: String, nullable: true }) deliveryMethod: string | null;
  @ApiProperty({ type: [SignOffDto], description: '内部签批记录（答复书；不印在文书上）' }) signOffs: SignOffDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '保密审查人' }) confidentialityReviewedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '保密审查时间' }) confidentialityReviewedAt: string | null;
  @ApiProperty({ description: 'PDF 已生成' }) rendered: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'PDF 的 SHA-256' }) sha256: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '本文书更正并替代的文书' }) supersedes: string | null;
  @ApiProperty({ type: String, nullable: true, description: '更正原因（本文书替代原文书时）' }) supersedeReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '替代本文书的更正文书' }) supersededBy: string | null;
}

export class LetterListDto {
  @ApiProperty({ type: [LetterDto] }) items: LetterDto[];
  @ApiProperty({ type: String, nullable: true, description: '一案的文书总在一页内：恒为 null' }) nextCursor: null;
}

export function mapLetter(l: LetterEntity): LetterDto {
  return {
    id: l.id,
    code: l.code,
    title: LETTERS[l.code].title,
    outcome: l.outcome,
    addressee: l.addressee,
    consultationId: l.consultationId,
    state: l.state,
    datedOn: l.datedOn,
    number: l.number,
    issuedAt: l.issuedAt ? l.issuedAt.toISOString() : null,
    approvedBy: l.approvedBy,
    approvedAt: l.approvedAt ? l.approvedAt.toISOString() : null,
    deliveredOn: l.deliveredOn,
    deliveryMethod: l.deliveryMethod,
    signOffs: l.signOffs ?? [],
    confidentialityReviewedBy: l.confidentialityReviewedBy,
    confidentialityReviewedAt: l.confidentialityReviewedAt ? l.confidentialityReviewedAt.toISOString() : null,
    rendered: l.renderedAt !== null,
    sha256: l.sha256,
    supersedes: l.supersedes,
    supersedeReason: l.supersedeReason,
    supersededBy: l.supersededBy,
  };
}

/** What the applicant sees of a letter sent to them: never drafts, staff, or letters to others. */
export class PortalLetter {
  @ApiProperty({ enum: LETTER_CODES, description: '文书种类' }) code: LetterCode;
  @ApiProperty({ description: '文书名称' }) title: string;
  @ApiProperty({ description: '发文字号' }) number: string;
  @ApiProperty({ format: 'date', description: '成文日期' }) issuedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '送达日期（已登记时）' }) deliveredOn: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'PDF 下载地址；文书生成后提供' }) url: string | null;
  @ApiProperty({ type: String, nullable: true, description: '更正文书：说明本文书替代了哪份文书（被替代的文书不再列出）；其他文书为 null', example: '本文书更正并替代2024年11月20日印发的盘政办依复〔2024〕3号，原文书不再有效。' })
  replaces: string | null;
}

/**
 * `urlOf`: the absolute download address of a rendered letter (PUBLIC_URL + the portal's path); a letter not
 * rendered yet has none.
 */
export function portalLetters(letters: readonly LetterEntity[], urlOf: (l: LetterEntity) => string | null = () => null): PortalLetter[] {
  const byId = new Map(letters.map((l) => [l.id, l]));
  return letters
    .filter((l) => l.addressee === 'applicant' && isIssued(l.state) && l.number && l.datedOn)
    .map((l) => ({ code: l.code, title: LETTERS[l.code].title, number: l.number!, issuedOn: l.datedOn!, deliveredOn: l.deliveredOn, url: l.renderedAt ? urlOf(l) : null, replaces: replacedLine(l.supersedes ? byId.get(l.supersedes) : undefined) }));
}

/** The portal's line on a corrected letter: which letter it replaces (that one is no longer listed). */
function replacedLine(old: LetterEntity | undefined): string | null {
  if (!old?.number || !old.datedOn) return null;
  const [y, m, d] = old.datedOn.split('-').map(Number);
  return `本文书更正并替代${y}年${m}月${d}日印发的${old.number}，原文书不再有效。`;
}

/** The portal's download path of a letter (under `/api/v1/portal/applications`). */
export const portalLetterPath = (trackingNumber: string, letterId: string): string => `/api/v1/portal/applications/${encodeURIComponent(trackingNumber)}/letters/${letterId}/pdf`;

/** The portal's download path of a file provided with a reply (under `/api/v1/portal/applications`). */
export const portalFilePath = (trackingNumber: string, attachmentId: string): string => `/api/v1/portal/applications/${encodeURIComponent(trackingNumber)}/files/${attachmentId}`;
