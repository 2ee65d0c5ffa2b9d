import { ApiProperty } from '@nestjs/swagger';
import { CASE_STATES } from '../../statute/case-states';
import { PortalLetter } from '../../letters/dto/letter.dto';

class PortalDeadline {
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '答复期限' }) due: string | null;
  @ApiProperty({ description: '征求意见或待缴费期间，期限暂停计算' }) paused: boolean;
  @ApiProperty({ description: '期限涉及尚未公布的节假日安排' }) provisional: boolean;
  @ApiProperty({ type: [String], description: '期限的计算过程，逐步' }) explanation: string[];
}

class PortalCorrection {
  @ApiProperty({ format: 'date' }) requestedOn: string;
  @ApiProperty({ type: [String] }) items: string[];
  @ApiProperty({ type: 'integer', description: '补正期限（工作日）' }) periodDays: number;
}

class PortalFee {
  @ApiProperty({ description: '金额（元）' }) amount: number;
  @ApiProperty({ format: 'date' }) notifiedOn: string;
  @ApiProperty({ enum: ['per_item', 'per_page'] }) tariff: string;
}

class PortalAgency {
  @ApiProperty({ description: '现在办理本申请的机关（转送后为接收转送的机关）' }) name: string;
}

/** A file provided with the reply, downloaded with the query code. */
export class PortalFile {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '文件名' }) name: string;
  @ApiProperty({ type: 'integer', description: '字节数' }) size: number;
  @ApiProperty({ description: 'SHA-256（十六进制），可核对下载的文件' }) sha256: string;
  @ApiProperty({ description: '下载地址（请求头 X-Query-Code 同查询）' }) url: string;
}

/** What the applicant sees of their application: the state in words, dates, and the letters sent to them. */
export class PortalApplicationDto {
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ enum: CASE_STATES }) state: string;
  @ApiProperty({ description: '状态（中文）' }) stateLabel: string;
  @ApiProperty({ description: '申请人（部分隐去）' }) applicantName: string;
  @ApiProperty({ type: PortalAgency, description: '办理机关' }) agency: PortalAgency;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '网上提交时间' }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '收到申请之日' }) receiptDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '预计答复日期' }) expectedReplyBy: string | null;
  @ApiProperty({ type: PortalDeadline }) deadline: PortalDeadline;
  @ApiProperty({ type: PortalCorrection, nullable: true, description: '要求补正的内容（待补正时）' }) correctionRequested: PortalCorrection | null;
  @ApiProperty({ type: PortalFee, nullable: true, description: '收费通知（待缴费时）' }) fee: PortalFee | null;
  @ApiProperty({ type: String, nullable: true, description: '答复类型' }) outcome: string | null;
  @ApiProperty({ type: String, nullable: true }) outcomeLabel: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '办结日期' }) concludedOn: string | null;
  @ApiProperty({ type: String, nullable: true, description: '复议、诉讼纠正后重新办理的申请编号（查询码不变）' }) reopenedAs: string | null;
  @ApiProperty({ type: [PortalLetter], description: '发给申请人的文书，按先后' }) letters: readonly PortalLetter[];
  @ApiProperty({ type: [PortalFile], description: '随答复（准予公开、部分公开）提供的文件，答复印发后列出，按答复所列顺序' }) files: readonly PortalFile[];
}

/** The answer of a portal submission: shown once. */
export class PortalSubmittedDto {
  @ApiProperty({ description: '申请编号（查询号）' }) trackingNumber: string;
  @ApiProperty({ description: '查询码：仅此一次显示，请妥善保存' }) queryCode: string;
}
