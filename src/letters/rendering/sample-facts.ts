/**
 * Sample facts for every template: previews of an agency's override, the samples under docs/letters and
 * the tests. Invented people and places; no identity or telephone number of anyone.
 */
import type { NoticeCode } from '../../statute/letter-catalogue';
import type { LetterFacts, TemplateCode } from './letter-facts';

const BASE = {
  number: { prefix: '盘自然资依复', year: 2025, n: 12 },
  date: '2025-03-07',
  addresseeName: '张晓梅',
  addresseeAddress: '辽宁省盘锦市兴隆台区石油大街98号',
  agencyName: '盘锦市自然资源局',
  reconsiderationBody: '盘锦市人民政府',
  court: '盘锦市兴隆台区人民法院',
  contactLine: '联系人：政府信息公开办公室',
  receiptDate: '2025-02-10',
  channel: 'online',
  subject: '2024年兴隆台区国有土地使用权出让合同及出让金收支明细',
} as const satisfies Omit<LetterFacts, 'template'>;

const NOTICE_PREFIX: Readonly<Record<NoticeCode, string>> = {
  receipt: '盘自然资依收',
  correction_notice: '盘自然资依补',
  extension_notice: '盘自然资依延',
  third_party_consultation: '盘自然资依征',
  consultation_notice: '盘自然资依告',
  agency_consultation: '盘自然资依函',
  reasons_request: '盘自然资依询',
  delay_notice: '盘自然资依迟',
  fee_notice: '盘自然资依费',
  third_party_disclosure: '盘自然资依决',
  termination_notice: '盘自然资依终',
};

const EXTRA: Partial<Record<TemplateCode, Partial<LetterFacts>>> = {
  receipt: { date: '2025-02-10', trackingNumber: 'PJ-2025-000123', queryCode: 'K7QX-M2PA-9D', replyDueDate: '2025-03-10' },
  correction_notice: { date: '2025-02-14', correctionItems: ['请明确所申请信息的年份范围；', '请说明所申请合同涉及的地块名称或者宗地编号。'], correctionDueDate: '2025-02-28' },
  extension_notice: { date: '2025-03-06', extensionDays: 20, newDueDate: '2025-04-08', reasons: '所申请信息数量较大，需要调取多年档案' },
  third_party_consultation: { addresseeName: '盘锦辽河置业有限公司', date: '2025-02-20', consultedInformation: '兴隆台区2024-07号地块国有土地使用权出让合同', answerDueDate: '2025-03-13' },
  consultation_notice: { date: '2025-02-20' },
  agency_consultation: { addresseeName: '盘锦市财政局', date: '2025-02-20', consultedInformation: '2024年兴隆台区国有土地使用权出让金收支明细', answerDueDate: '2025-03-13' },
  reasons_request: { date: '2025-02-14', reasonsDueDate: '2025-02-28' },
  delay_notice: { date: '2025-03-03', laterReplyDate: '2025-04-15' },
  fee_notice: { date: '2025-02-18', feeBasis: '按件计收，本月第11件至30件，每件100元', feeAmount: 300, paymentMethod: '通过政府非税收入缴款系统缴纳，或者到本机关政务服务窗口缴纳', paymentDueDate: '2025-03-18' },
  third_party_disclosure: { addresseeName: '盘锦辽河置业有限公司', date: '2025-03-05', consultedInformation: '兴隆台区2024-07号地块国有土地使用权出让合同', reasons: '该合同的出让价款和土地用途涉及公共资源配置，关系公共利益，不公开可能对公共利益造成重大影响。' },
  termination_notice: { outcome: 'other.correction_lapsed' },
  'reply.granted.proactive': { reasons: '该信息已于2025年1月15日在盘锦市人民政府门户网站“政府信息公开”栏目主动公开，你（单位）可以登录该网站查阅。' },
  'reply.granted': { providedFiles: ['2024年兴隆台区国有土地使用权出让合同汇总表', '2024年国有土地使用权出让金收支明细表'] },
  'reply.partial': {
    withheld: [
      { part: '出让合同中受让人的银行账户信息', ground: 'withheld.third_party' },
      { part: '出让金收支审核过程中的内部讨论记录', ground: 'withheld.process_info' },
    ],
    reasons: '上述内容经征求第三方意见，第三方不同意公开且理由合理；内部讨论记录属于过程性信息。',
    providedFiles: ['2024年国有土地使用权出让金收支明细表（删除不予公开内容）'],
  },
  'reply.withheld.administrative_query': { reasons: '不动产登记资料的查询，请依照《不动产登记暂行条例》及其实施细则的规定，向盘锦市不动产登记中心申请查询。' },
  'reply.unavailable.not_held': { competentAgency: { name: '盘锦市财政局', contact: '政府信息公开办公室' } },
  'reply.rejected.petition': { reasons: '可以通过盘锦市12345政务服务便民热线或者国家信访信息系统提出。' },
  'reply.rejected.duplicate': { earlierReply: { documentNumber: '盘自然资依复〔2025〕3号', date: '2025-01-20' } },
  'reply.rejected.publication': { reasons: '《盘锦市人民政府公报》2024年第6期可在盘锦市图书馆、盘锦市档案馆查阅，或者在盘锦市人民政府门户网站下载。' },
  'reply.rejected.vexatious': { reasons: '你（单位）在三个月内就同一事项提出申请四十余件，所说明的理由与所申请信息之间没有关联。' },
  'reply.other.other': { reasons: '你（单位）已于2025年3月1日书面撤回申请，本机关不再处理。' },
};

const WITHHELD_PARTS: Record<string, string> = {
  'reply.withheld.state_secret': '兴隆台区国土空间规划中涉及军事设施的图件',
  'reply.withheld.law_prohibited': '依法禁止公开的测绘成果',
  'reply.withheld.security_stability': '地下输油管线的精确坐标',
  'reply.withheld.third_party': '受让人的商业经营信息',
  'reply.withheld.internal_affairs': '本机关内部人事考核记录',
  'reply.withheld.process_info': '出让方案审议过程中的讨论记录',
  'reply.withheld.enforcement_file': '土地违法案件的调查询问笔录',
};

export function sampleFacts(template: TemplateCode): LetterFacts {
  const notice = !template.startsWith('reply.');
  const withheld = WITHHELD_PARTS[template]
    ? { withheld: [{ part: WITHHELD_PARTS[template], ground: template.slice('reply.'.length) }], reasons: '经审查，上述信息符合法定不予公开的情形。' }
    : {};
  return {
    ...BASE,
    number: notice ? { ...BASE.number, prefix: NOTICE_PREFIX[template as NoticeCode] } : BASE.number,
    template,
    ...withheld,
    ...EXTRA[template],
  };
}
