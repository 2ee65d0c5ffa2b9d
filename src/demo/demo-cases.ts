/**
 * The demo city's cases (DEMO_DATA=on): about fifty applications spread over every state and every
 * outcome of the catalogue, replayed by DemoSeeder through the real case services with the clock set
 * to each step's day, so every case has a consistent history and clock.
 *
 * Declarative: per case the agency, the applicant, what is asked, the channel, when it arrived and
 * the steps. Dates are relative to the day of seeding:
 * - `received`: `{ daysAgo }` calendar days back (snapped to the previous working day, except post
 *   signed for and portal submissions, which may fall on a weekend), or `{ workingDaysAgo }` for open
 *   cases whose deadline must sit at a known distance from today (due within 5 working days, overdue).
 *   For a portal case (`channel: 'online'`) this is the submission; `confirm-receipt` sets the receipt.
 * - each step's `d`: working days after that start day (0: the same day). Steps are in order. If a case's
 *   last step would fall after today (a long holiday between), the driver moves the start back so it
 *   does not: nothing is ever dated in the future.
 * The driver has every received case assigned to the agency's clerk by its supervisor on the day it
 * is received, acts as the agency's clerk, and as its supervisor for approvals, returns, Art 35 dates,
 * extensions' approval and reopening.
 *
 * In texts, `{y}` is the year of the start day and `{y-1}` the year before.
 */
import { residentIdCheckChar, usccCheckChar } from '../statute/id-number';
import type { ApplicantType, Channel, DeliveryMethod, InformationForm } from '../statute/intake';
import type { OutcomeCode } from '../statute/outcomes';

export type DemoAgencyKey = 'office' | 'edu' | 'nr' | 'hrss' | 'housing' | 'xlt' | 'sz';

export interface DemoApplicant {
  type: ApplicantType;
  name: string;
  idType: 'resident_id' | 'passport' | 'uscc' | 'other_org';
  idNumber: string;
  phone?: string;
  email?: string;
  address?: string;
}

export interface DemoReplyDetails {
  reasons?: string;
  withheldParts?: string[];
  grounds?: string[];
  competentAgency?: { name: string; contact?: string };
  /** the earlier reply of a duplicate: its number and how many calendar days before the start it was issued */
  earlierReply?: { documentNumber: string; daysBeforeStart: number };
}

export type DemoStep = { d: number } & (
  | { act: 'confirm-receipt' }
  | { act: 'discard'; reason: string }
  | { act: 'request-correction'; items: string[]; periodDays?: number }
  | { act: 'record-correction'; content: string }
  | { act: 'consult'; party: 'third_party' | 'other_agency'; name: string; jointMaker?: boolean }
  /** `which`: the index of the consultation among this case's `consult` steps */
  | { act: 'end-consultation'; which: number; opinion: 'consent' | 'objection' | 'none'; note?: string }
  | { act: 'request-extension'; days: number; reason: string }
  | { act: 'approve-extension' }
  /** Art 35: `untilD` working days after the start becomes the deadline */
  | { act: 'set-delayed-reply'; untilD: number; reason: string }
  | { act: 'notify-fee'; pages: number; basis?: string }
  | { act: 'record-payment' }
  /** 分办: a portal submission forwarded, unconfirmed, to another demo agency */
  | { act: 'forward'; to: string; reason: string }
  /** Art 35: the applicant asked to explain; the answer and the finding */
  | { act: 'request-reasons'; items: string[] }
  | { act: 'record-reasons'; content: string; reasonable: boolean }
  /** a file to provide with the reply (attachment kind `release`): a one-page PDF of these lines, under this name */
  | { act: 'release-file'; name: string; lines: string[] }
  | ({ act: 'draft-reply'; outcome: OutcomeCode } & DemoReplyDetails)
  | { act: 'approve-reply' }
  | { act: 'return-reply'; reason: string }
  | { act: 'issue-reply' }
  | { act: 'record-delivery'; of: 'reply' | 'correction_notice' | 'fee_notice' | 'third_party_consultation' | 'reasons_request'; method: 'post' | 'email' | 'in_person' | 'online' }
  | { act: 'conclude-lapsed'; reason: 'correction' | 'fee' }
  | { act: 'withdraw'; reason: string }
  /** a review filed on day `d` (pending) */
  | { act: 'record-review'; kind: 'reconsideration' | 'litigation_direct' | 'litigation_after_reconsideration'; note?: string }
  /** the latest review's result: concluded on `concludedD`, the decision reached the agency on `d` */
  | { act: 'update-review'; result: 'upheld' | 'corrected' | 'other'; concludedD: number; note?: string }
  /** after a `corrected` review: a new linked case; later steps act on the new case */
  | { act: 'reopen' }
  /** 更正: the supervisor supersedes the case's current letter of this kind (rendered first), a reply with its corrected text */
  | { act: 'supersede-letter'; of: 'reply' | 'correction_notice' | 'fee_notice'; reason: string; reply?: Pick<DemoReplyDetails, 'reasons' | 'competentAgency'> }
);

export interface DemoCase {
  agency: DemoAgencyKey;
  applicant: DemoApplicant;
  description: string;
  documentNumber?: string;
  channel: Channel;
  form: InformationForm;
  delivery: DeliveryMethod;
  received: { daysAgo: number } | { workingDaysAgo: number };
  steps: DemoStep[];
}

// ---------------------------------------------------------------------------------- applicants

/** A resident ID: 6-digit division code, birth date, 3-digit sequence (odd: male), GB 11643 check character. */
function residentId(division: string, birth: string, sequence: string): string {
  const first17 = `${division}${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

/** GB 11714 organisation code: 8 characters and its check character (weights 3 7 9 10 5 8 4 2, mod 11). */
function organisationCode(body: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const value = (ch: string): number => (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  const sum = [...body].reduce((s, ch, i) => s + value(ch) * w[i], 0);
  const c = 11 - (sum % 11);
  return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/** 统一社会信用代码: registering authority and kind (2), division (6), organisation code (9), GB 32100 check character. */
function uscc(authorityAndKind: string, division: string, orgBody: string): string {
  const first17 = `${authorityAndKind}${division}${organisationCode(orgBody)}`;
  return first17 + usccCheckChar(first17);
}

function person(name: string, division: string, birth: string, sequence: string, phone: string, address: string, email?: string): DemoApplicant {
  return { type: 'natural_person', name, idType: 'resident_id', idNumber: residentId(division, birth, sequence), phone, address, ...(email ? { email } : {}) };
}

// Divisions: 211102 双台子区, 211103 兴隆台区, 211104 大洼区, 211122 盘山县, 210103 沈阳市沈河区, 110105 北京市朝阳区.
const P = {
  liChunhua: person('李春华', '211103', '19680412', '024', '13904271865', '辽宁省盘锦市兴隆台区振兴街道石油大街58号'),
  wangJianjun: person('王建军', '211102', '19751103', '153', '13840719326', '辽宁省盘锦市双台子区红旗街道建设路17号'),
  zhangXiulan: person('张秀兰', '211122', '19590727', '046', '15842704418', '辽宁省盘锦市盘山县太平镇光明村'),
  liuYang: person('刘洋', '211103', '19900215', '317', '18604273350', '辽宁省盘锦市兴隆台区惠宾街道锦绣园小区6号楼', 'liuyang0215@163.com'),
  chenZhigang: person('陈志刚', '211104', '19820930', '071', '13897512046', '辽宁省盘锦市大洼区田家街道二界沟村'),
  yangLijuan: person('杨丽娟', '211102', '19860519', '128', '15904278831', '辽宁省盘锦市双台子区胜利街道友谊小区'),
  zhaoHongwei: person('赵宏伟', '211103', '19720308', '015', '13942733617', '辽宁省盘锦市兴隆台区渤海街道渤海路101号'),
  huangHaiyan: person('黄海燕', '210103', '19791224', '062', '13504059972', '辽宁省沈阳市沈河区北站路61号', 'hhy1979@126.com'),
  zhouXiaoming: person('周晓明', '211103', '19950611', '239', '17604271428', '辽宁省盘锦市兴隆台区新工街道'),
  wuGuizhi: person('吴桂芝', '211122', '19530117', '008', '13050576213', '辽宁省盘锦市盘山县得胜街道'),
  xuLixin: person('徐立新', '211102', '19661021', '135', '13464715590', '辽宁省盘锦市双台子区统一镇'),
  sunYumei: person('孙玉梅', '211104', '19770802', '084', '15140711764', '辽宁省盘锦市大洼区荣兴街道', 'sunyumei77@qq.com'),
  maDefu: person('马德福', '211122', '19490903', '011', '13304273185', '辽宁省盘锦市盘山县吴家镇'),
  zhuXiaodong: person('朱晓东', '211103', '19880726', '173', '18642728890', '辽宁省盘锦市兴隆台区兴隆街道'),
  huJianping: person('胡建平', '211102', '19700114', '093', '13941702275', '辽宁省盘锦市双台子区辽河街道'),
  guoLihua: person('郭丽华', '211103', '19830409', '226', '15842731068', '辽宁省盘锦市兴隆台区曙光街道', 'guolihua_pj@163.com'),
  linTao: person('林涛', '110105', '19910822', '357', '13811620734', '北京市朝阳区望京街道阜通东大街6号', 'lintao.research@pku.org.cn'),
  heXiuying: person('何秀英', '211104', '19610330', '040', '13188270591', '辽宁省盘锦市大洼区西安镇'),
  gaoFeng: person('高峰', '211103', '19850105', '219', '13609801478', '辽宁省盘锦市兴隆台区振兴街道'),
  luoJuan: person('罗娟', '211102', '19980918', '062', '18341701193', '辽宁省盘锦市双台子区建设街道', 'luojuan98@foxmail.com'),
  songZhiyuan: person('宋志远', '211103', '19650606', '111', '13130718842', '辽宁省盘锦市兴隆台区新生街道'),
  hanDongmei: person('韩冬梅', '211102', '19741212', '148', '15041737765', '辽宁省盘锦市双台子区陆家镇'),
  tangWenbo: person('唐文博', '211103', '20010301', '057', '19904276623', '辽宁省盘锦市兴隆台区创新街道', 'tangwenbo01@163.com'),
  fengGuilan: person('冯桂兰', '211122', '19570420', '026', '13332086419', '辽宁省盘锦市盘山县坝墙子镇'),
  caoYu: person('曹宇', '211103', '19930727', '271', '17641790052', '辽宁省盘锦市兴隆台区茨采街道', 'caoyu_law@163.com'),
  pengLi: person('彭丽', '211102', '19890114', '182', '15164237708', '辽宁省盘锦市双台子区双盛街道'),
  tianYe: person('田野', '211104', '19810505', '033', '13804276318', '辽宁省盘锦市大洼区清水镇'),
  dongXiuzhen: person('董秀珍', '211122', '19600909', '064', '13842746695', '辽宁省盘锦市盘山县高升街道'),
  yuanLei: person('袁磊', '211103', '19870323', '195', '18204279961', '辽宁省盘锦市兴隆台区兴盛街道', 'yuanlei_pj@qq.com'),
  liMing: person('李明', '211103', '19940218', '075', '17704270000', '辽宁省盘锦市兴隆台区', 'zhaosheng-tuiguang@example.com'),
  kimMinjun: { type: 'natural_person', name: '金敏俊', idType: 'passport', idNumber: 'M70312845', phone: '+82 10-4821-7763', email: 'minjun.kim@example.kr', address: '辽宁省盘锦市兴隆台区渤海街道（韩国籍，在盘锦工作）' } as DemoApplicant,
} satisfies Record<string, DemoApplicant>;

const O = {
  xindaConstruction: { type: 'commercial', name: '盘锦鑫达建筑工程有限公司', idType: 'uscc', idNumber: uscc('91', '211103', 'MA0U7K3D'), phone: '0427-2856307', email: 'xinda_jz@163.com', address: '辽宁省盘锦市兴隆台区工业园区鑫达路8号' },
  hengxinLaw: { type: 'legal_service', name: '辽宁恒信律师事务所', idType: 'uscc', idNumber: uscc('31', '211100', '56472839'), phone: '0427-2213568', email: 'hengxin_law@163.com', address: '辽宁省盘锦市兴隆台区市府大街125号' },
  envResearch: { type: 'research', name: '盘锦市环境科学研究院', idType: 'uscc', idNumber: uscc('12', '211100', '46123578'), phone: '0427-2803716', email: 'pjhky@163.com', address: '辽宁省盘锦市兴隆台区泰山路33号' },
  wetlandVolunteers: { type: 'public_interest', name: '盘锦市红海滩湿地保护志愿者协会', idType: 'uscc', idNumber: uscc('51', '211100', 'MJ0X3651'), phone: '13700427815', email: 'hhtvolunteer@126.com', address: '辽宁省盘锦市大洼区赵圈河镇' },
  riceCompany: { type: 'commercial', name: '盘锦辽河口大米有限公司', idType: 'uscc', idNumber: uscc('91', '211122', 'MA0Y4B2R'), phone: '0427-3582216', address: '辽宁省盘锦市盘山县石新镇' },
  ownersCommittee: { type: 'other_org', name: '兴隆台区惠宾街道锦绣园小区业主委员会', idType: 'other_org', idNumber: 'HB-YWH-2023-013', phone: '13898742260', address: '辽宁省盘锦市兴隆台区惠宾街道锦绣园小区物业楼二层' },
} satisfies Record<string, DemoApplicant>;

// ---------------------------------------------------------------------------------- step helpers

type Reply = { outcome: OutcomeCode } & DemoReplyDetails;

/** Drafted on `draftD`, approved the working day before issue (or the same day), issued on `issueD`. */
function reply(r: Reply, draftD: number, issueD: number): DemoStep[] {
  return [
    { act: 'draft-reply', d: draftD, ...r },
    { act: 'approve-reply', d: Math.max(draftD, issueD - 1) },
    { act: 'issue-reply', d: issueD },
  ];
}

const withheld = (outcome: OutcomeCode, parts: string[], reasons: string, grounds: string[] = [outcome]): Reply => ({ outcome, withheldParts: parts, grounds, reasons });

// ---------------------------------------------------------------------------------- the cases

export const DEMO_CASES: DemoCase[] = [
  // ============================================================== concluded: every outcome of the catalogue
  {
    agency: 'office',
    applicant: P.liChunhua,
    description: '申请公开盘锦市人民政府{y}年第3次常务会议审议通过的《盘锦市城市更新行动实施方案》全文。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 330 },
    steps: [
      { act: 'confirm-receipt', d: 1 },
      ...reply({ outcome: 'granted.proactive', reasons: '您申请的《盘锦市城市更新行动实施方案》已由市政府主动公开，可在盘锦市人民政府门户网站“政府信息公开—政策文件”栏目查阅、下载。' }, 4, 5),
    ],
  },
  {
    agency: 'edu',
    applicant: P.wangJianjun,
    description: '申请公开{y-1}年度盘锦市义务教育阶段学校生均公用经费拨付明细（按学校列示）。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 300 },
    steps: [
      ...reply({ outcome: 'granted', reasons: '经检索，现将{y-1}年度义务教育阶段学校生均公用经费拨付明细表（共3页）提供给您。' }, 9, 11),
      { act: 'record-delivery', d: 12, of: 'reply', method: 'in_person' },
    ],
  },
  {
    agency: 'hrss',
    applicant: P.huangHaiyan,
    description: '申请公开{y-1}年度盘锦市城镇职工基本养老保险基金收支决算表及社保基金专项审计发现问题的整改情况报告。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 270 },
    steps: [
      { act: 'notify-fee', d: 6, pages: 86, basis: '申请人申请提供的材料共86页，超出合理范围，按量计收信息处理费。' },
      { act: 'record-delivery', d: 7, of: 'fee_notice', method: 'email' },
      { act: 'record-payment', d: 12 },
      {
        act: 'release-file',
        d: 15,
        name: '{y-1}年度城镇职工基本养老保险基金收支决算表.pdf',
        lines: ['{y-1}年度盘锦市城镇职工基本养老保险基金收支决算表（演示数据）', '一、基金收入', '二、基金支出', '三、本年收支结余', '四、年末滚存结余'],
      },
      ...reply({ outcome: 'granted', reasons: '现将养老保险基金收支决算表及审计整改情况报告（共86页）以电子邮件方式提供给您。' }, 16, 17),
      { act: 'record-delivery', d: 17, of: 'reply', method: 'email' },
    ],
  },
  {
    agency: 'housing',
    applicant: P.yangLijuan,
    description: '申请公开{y-1}年度盘锦市公共租赁住房实物配租摇号结果及各批次轮候名单。',
    channel: 'registered_post',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 240 },
    steps: [
      { act: 'request-extension', d: 17, days: 15, reason: '申请公开的信息涉及多个批次、数量较大，需逐份检索并对个人信息作区分处理，无法在20个工作日内答复。' },
      { act: 'approve-extension', d: 18 },
      ...reply({ outcome: 'granted', reasons: '现将{y-1}年度公共租赁住房实物配租摇号结果及轮候名单（已对身份证号码等个人信息作去标识化处理）邮寄给您。' }, 28, 30),
      { act: 'record-delivery', d: 33, of: 'reply', method: 'post' },
    ],
  },
  {
    agency: 'nr',
    applicant: P.chenZhigang,
    description: '申请公开大洼区田家街道“二界沟排干”防洪工程建设项目征收集体土地的征地补偿安置方案及批复文件。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 210 },
    // concluded late: the reply is issued after the 20 working days, with no extension
    steps: reply({ outcome: 'granted', reasons: '现将该项目征地补偿安置方案及辽宁省人民政府的批复文件复印件提供给您。' }, 21, 24),
  },
  {
    agency: 'nr',
    applicant: P.linTao,
    description: '申请公开兴隆台区红旗大街以南区域控制性详细规划修改的批复、规划图则及专家论证意见。',
    channel: 'registered_post',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 320 },
    steps: [
      ...reply(
        withheld('partial', ['专家论证会上的个人发言记录'], '控制性详细规划修改的批复及规划图则予以公开；专家论证会个人发言记录属于讨论记录，依据条例第十六条第二款不予公开。', ['withheld.process_info']),
        15,
        17,
      ),
      { act: 'record-review', d: 40, kind: 'reconsideration', note: '申请人向盘锦市人民政府申请行政复议，请求公开专家发言记录。' },
      { act: 'update-review', d: 82, result: 'upheld', concludedD: 81, note: '复议机关维持原答复。' },
    ],
  },
  {
    agency: 'office',
    applicant: P.zhaoHongwei,
    description: '申请公开盘锦市人民政府关于辽河口区域海防设施建设的专题会议纪要。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 180 },
    steps: [
      ...reply(withheld('withheld.state_secret', ['专题会议纪要全文'], '经定密责任人审核确认，该会议纪要已依法确定为国家秘密，依据《中华人民共和国保守国家秘密法》及条例第十四条，不予公开。'), 12, 14),
      { act: 'record-review', d: 50, kind: 'reconsideration', note: '申请人向辽宁省人民政府申请行政复议，尚未审结。' },
    ],
  },
  {
    agency: 'hrss',
    applicant: P.zhouXiaoming,
    description: '申请公开{y-1}年盘锦市城镇劳动力调查中各被调查户的原始调查表及个人就业情况登记资料。',
    channel: 'fax',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 150 },
    steps: reply(
      withheld('withheld.law_prohibited', ['被调查户原始调查表', '个人就业情况登记资料'], '依据《中华人民共和国统计法》关于能够识别或者推断单个统计调查对象身份的资料不得对外提供的规定，该信息属于法律禁止公开的信息；汇总统计结果可在市统计局网站查阅。'),
      13,
      15,
    ),
  },
  {
    agency: 'xlt',
    applicant: P.wuGuizhi,
    description: '申请公开兴隆台区辖区内石油化工企业重大危险源分布图及应急疏散预案中关键设施的坐标。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 140 },
    steps: reply(
      withheld('withheld.security_stability', ['重大危险源分布图', '应急疏散预案中的关键设施坐标'], '该信息公开后可能危及公共安全，依据条例第十四条不予公开；区应急管理局已公开的应急疏散常识可在区政府网站查阅。'),
      10,
      12,
    ),
  },
  {
    agency: 'housing',
    applicant: P.liuYang,
    description: '申请公开“锦绣园”商品房项目开发企业报送的商品房预售资金监管协议及监管账户资金流水。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 200 },
    steps: [
      { act: 'consult', d: 4, party: 'third_party', name: '盘锦鑫海房地产开发有限公司' },
      { act: 'record-delivery', d: 6, of: 'third_party_consultation', method: 'post' },
      { act: 'end-consultation', d: 18, which: 0, opinion: 'objection', note: '第三方书面答复：监管账户资金流水涉及企业商业秘密，不同意公开。' },
      ...reply(
        withheld('withheld.third_party', ['预售资金监管账户资金流水', '监管协议中的账户信息'], '经书面征求第三方意见，第三方以涉及商业秘密为由不同意公开，且不公开不会对公共利益造成重大影响，依据条例第十五条、第三十二条不予公开。'),
        24,
        25,
      ),
    ],
  },
  {
    agency: 'edu',
    applicant: P.xuLixin,
    description: '申请公开盘锦市教育局机关内部考勤管理办法及{y-1}年机关干部年度考核等次结果。',
    channel: 'ordinary_letter',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 120 },
    steps: reply(withheld('withheld.internal_affairs', ['机关内部考勤管理办法', '机关干部年度考核等次结果'], '所申请信息属于人事管理、内部工作流程等内部事务信息，依据条例第十六条第一款不予公开。'), 11, 13),
  },
  {
    agency: 'office',
    applicant: P.sunYumei,
    description: '申请公开《盘锦市辽河文化产业带建设规划（征求意见稿）》形成过程中各部门的反馈意见及汇总表。',
    channel: 'registered_post',
    form: 'electronic',
    delivery: 'email',
    // a reconsideration corrects the reply; the case is reopened and handled again
    received: { workingDaysAgo: 90 },
    steps: [
      ...reply(withheld('withheld.process_info', ['各部门反馈意见', '意见汇总表'], '所申请信息属于行政机关在履行行政管理职能过程中形成的征求意见材料，依据条例第十六条第二款不予公开。'), 12, 14),
      { act: 'record-review', d: 30, kind: 'reconsideration', note: '申请人向辽宁省人民政府申请行政复议。' },
      { act: 'update-review', d: 79, result: 'corrected', concludedD: 78, note: '复议机关认为该规划已正式印发，征求意见材料已不属于过程性信息，责令重新答复。' },
      { act: 'reopen', d: 80 },
    ],
  },
  {
    agency: 'xlt',
    applicant: P.gaoFeng,
    description: '申请公开兴隆台区综合行政执法局对振兴街道某餐饮店作出的行政处罚决定书及全部执法案卷材料。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 100 },
    steps: reply(
      withheld('withheld.enforcement_file', ['调查询问笔录、现场检查笔录及证据材料等执法案卷材料'], '行政处罚决定书已在区政府网站“行政执法公示”栏目公示；其余材料属于行政执法案卷信息，依据条例第十六条第二款不予公开。'),
      14,
      16,
    ),
  },
  {
    agency: 'nr',
    applicant: P.heXiuying,
    description: '申请查询兴隆台区惠宾街道某小区3号楼2单元房屋的不动产登记簿记载信息（权利人及抵押情况）。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 90 },
    steps: reply(
      withheld('withheld.administrative_query', ['不动产登记簿记载的权利人及抵押信息'], '不动产登记资料的查询另有专门规定，请依据《不动产登记资料查询暂行办法》持身份证明到盘锦市不动产登记中心申请查询。'),
      5,
      6,
    ),
  },
  {
    agency: 'sz',
    applicant: O.wetlandVolunteers,
    description: '申请公开辽河（双台子段）{y-1}年度水质自动监测站逐月监测数据。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 160 },
    steps: [
      { act: 'confirm-receipt', d: 1 },
      ...reply(
        {
          outcome: 'unavailable.not_held',
          reasons: '经检索，本机关未制作、获取该信息。水质自动监测数据由盘锦市生态环境局负责，请向该局申请。',
          competentAgency: { name: '盘锦市生态环境局', contact: '盘锦市兴隆台区市府大街，电话0427-2800110' },
        },
        10,
        12,
      ),
      { act: 'record-review', d: 40, kind: 'litigation_direct', note: '申请人向盘锦市中级人民法院提起行政诉讼，尚未审结。' },
    ],
  },
  {
    // a reply naming the competent agency wrongly, superseded by a corrected one (new number, both kept, the portal's line)
    agency: 'housing',
    applicant: P.liuYang,
    description: '申请公开惠宾街道锦绣园小区周边违法建设的拆除决定书及执行情况。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 110 },
    steps: [
      { act: 'confirm-receipt', d: 1 },
      ...reply(
        {
          outcome: 'unavailable.not_held',
          reasons: '经检索，本机关未制作、获取该信息。违法建设的查处由城市管理综合执法部门负责，请向该机关申请。',
          competentAgency: { name: '盘锦市城市管理局' },
        },
        7,
        9,
      ),
      {
        act: 'supersede-letter',
        d: 12,
        of: 'reply',
        reason: '答复书所列负责公开该信息的机关名称有误',
        reply: { competentAgency: { name: '盘锦市城市管理综合行政执法局', contact: '盘锦市兴隆台区市府大街，电话0427-2800123' } },
      },
    ],
  },
  {
    agency: 'hrss',
    applicant: P.tangWenbo,
    description: '申请提供近五年盘锦市各县区企业职工工伤认定案件的数量、类型及平均办理时长的统计分析。',
    channel: 'in_person',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 80 },
    steps: reply({ outcome: 'unavailable.needs_creation', reasons: '本机关未制作该统计分析，提供该信息需要对现有信息进行加工、分析，依据条例第三十八条不予提供。' }, 9, 10),
  },
  {
    agency: 'sz',
    applicant: P.maDefu,
    description: '申请公开关于我家土地的那个文件。',
    channel: 'ordinary_letter',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 130 },
    steps: [
      { act: 'request-correction', d: 3, items: ['请明确所申请信息涉及的土地位置（村、组）', '请说明大致时间及文件名称或文号'] },
      { act: 'record-correction', d: 9, content: '土地在双台子区统一镇，是当年征地时候的文件。' },
      ...reply({ outcome: 'unavailable.still_unclear', reasons: '补正后的申请仍未能说明所需信息的名称、文号或者便于查询的其他特征性描述，本机关无法确定所指政府信息。' }, 25, 27),
    ],
  },
  {
    agency: 'xlt',
    applicant: P.zhuXiaodong,
    description: '反映兴隆台区某小区物业公司乱收费问题，要求区政府查处并公开处理结果。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 60 },
    steps: reply({ outcome: 'rejected.petition', reasons: '您的申请实为投诉举报，请通过12345政务服务便民热线或向区住房和城乡建设主管部门反映。' }, 3, 4),
  },
  {
    agency: 'housing',
    applicant: P.guoLihua,
    description: '申请公开“双台子区辽河湾棚户区改造项目”房屋征收补偿方案及补偿标准。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 45 },
    steps: reply(
      {
        outcome: 'rejected.duplicate',
        reasons: '您此前已就同一内容提出申请，本机关已作出答复，本次申请属于重复申请。',
        earlierReply: { documentNumber: '盘住建依复〔{y}〕27号', daysBeforeStart: 70 },
      },
      4,
      5,
    ),
  },
  {
    agency: 'edu',
    applicant: P.luoJuan,
    description: '申请提供《盘锦统计年鉴（{y-1}）》中教育事业统计部分。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 75 },
    // answered on the spot (当场答复)
    steps: reply({ outcome: 'rejected.publication', reasons: '《盘锦统计年鉴》为公开出版物，可在盘锦市图书馆查阅或通过正规渠道购买。' }, 0, 0),
  },
  {
    agency: 'office',
    applicant: P.songZhiyuan,
    description: '申请公开盘锦市人民政府{y-1}年1月至12月每日收文登记簿的全部内容。',
    channel: 'registered_post',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 110 },
    steps: [
      { act: 'request-reasons', d: 2, items: ['请说明短期内提出大量政府信息公开申请的理由及用途'] },
      { act: 'record-delivery', d: 3, of: 'reasons_request', method: 'post' },
      { act: 'record-reasons', d: 10, content: '申请人来信称：系为研究政府工作，需要全部收文登记内容。', reasonable: false },
      ...reply({ outcome: 'rejected.vexatious', reasons: '申请人当月提出申请37件，经依据条例第三十五条要求说明理由，所述理由不合理，本机关不予处理。' }, 14, 16),
    ],
  },
  {
    agency: 'sz',
    applicant: P.hanDongmei,
    description: '要求双台子区人民政府对申请人此前获取的《农村土地承包经营权证》复印件予以确认，并重新加盖公章出具。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 55 },
    steps: reply({ outcome: 'rejected.confirmation', reasons: '要求行政机关确认或者重新出具已获取的信息，不属于政府信息公开申请的范围。' }, 6, 8),
  },
  {
    agency: 'edu',
    applicant: P.fengGuilan,
    description: '申请公开学校收费的相关文件。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 170 },
    steps: [
      { act: 'confirm-receipt', d: 1 },
      { act: 'request-correction', d: 4, items: ['请说明所指学校名称、收费项目及所属年度'], periodDays: 15 },
      { act: 'record-delivery', d: 6, of: 'correction_notice', method: 'online' },
      { act: 'conclude-lapsed', d: 23, reason: 'correction' },
    ],
  },
  {
    agency: 'nr',
    applicant: O.hengxinLaw,
    description: '申请公开盘锦市2010年以来全部国有建设用地使用权出让合同（含附件及宗地图）。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 190 },
    steps: [
      { act: 'notify-fee', d: 7, pages: 240 },
      { act: 'record-delivery', d: 9, of: 'fee_notice', method: 'post' },
      { act: 'conclude-lapsed', d: 31, reason: 'fee' },
    ],
  },
  {
    agency: 'hrss',
    applicant: P.pengLi,
    description: '申请公开盘锦市{y}年度企业职工最低工资标准调整的请示及批复。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { daysAgo: 95 },
    steps: [{ act: 'withdraw', d: 6, reason: '申请人表示已通过市人社局门户网站获取所需信息，自愿撤回申请。' }],
  },
  {
    agency: 'sz',
    applicant: P.tianYe,
    description: '申请公开双台子区{y-1}年度涉农资金统筹整合使用方案及资金分配明细。',
    channel: 'fax',
    form: 'paper',
    delivery: 'fax',
    received: { daysAgo: 230 },
    // concluded late
    steps: reply({ outcome: 'granted', reasons: '现将涉农资金统筹整合使用方案及资金分配明细传真给您。' }, 22, 26),
  },
  {
    agency: 'housing',
    applicant: P.dongXiuzhen,
    description: '申请公开兴隆台区“渤海路片区”老旧小区改造工程的招标文件、中标通知书及工程结算审计报告。',
    channel: 'ordinary_letter',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 260 },
    // concluded late
    steps: reply(
      withheld('partial', ['工程结算审计报告中施工单位的成本构成及报价明细'], '招标文件、中标通知书及审计结论予以公开；施工单位成本构成及报价明细涉及商业秘密，依据条例第十五条、第三十七条不予公开。', ['withheld.third_party']),
      23,
      25,
    ),
  },
  {
    agency: 'xlt',
    applicant: P.huJianping,
    description: '申请公开兴隆台区{y-1}年度城市道路维修养护资金预算及执行情况。',
    channel: 'ordinary_letter',
    form: 'paper',
    delivery: 'post',
    received: { daysAgo: 280 },
    steps: [
      { act: 'draft-reply', d: 10, outcome: 'granted' },
      { act: 'return-reply', d: 11, reason: '答复书未写明获取信息的方式和途径，请补充后重新报批。' },
      { act: 'draft-reply', d: 12, outcome: 'granted', reasons: '现将{y-1}年度城市道路维修养护资金预算及执行情况表邮寄给您。' },
      { act: 'approve-reply', d: 13 },
      { act: 'issue-reply', d: 13 },
      { act: 'record-delivery', d: 16, of: 'reply', method: 'post' },
    ],
  },

  // ============================================================== open cases
  // submitted (portal, waiting for a clerk to confirm receipt)
  {
    agency: 'office',
    applicant: P.yuanLei,
    description: '申请公开盘锦市{y}年度政府投资项目计划及年中调整情况。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 0 },
    steps: [],
  },
  {
    agency: 'nr',
    applicant: O.wetlandVolunteers,
    description: '申请公开辽河口国家级自然保护区周边光伏发电项目的用地预审意见及选址论证材料。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 1 },
    steps: [],
  },
  {
    // 分办: submitted on the portal without choosing an agency (landing at the city office), forwarded unconfirmed
    agency: 'office',
    applicant: O.wetlandVolunteers,
    description: '申请公开大洼区{y}年国有建设用地使用权出让地块的规划条件及出让合同。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 1 },
    steps: [{ act: 'forward', d: 0, to: 'pj-nr', reason: '国有建设用地使用权出让信息由市自然资源局制作和保存，转市自然资源局办理。' }],
  },
  {
    agency: 'housing',
    applicant: P.caoYu,
    description: '申请公开兴隆台区{y}年保障性租赁住房项目清单及房源分布信息。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 3 },
    steps: [],
  },
  // discarded (portal submissions never confirmed)
  {
    agency: 'office',
    applicant: P.yuanLei,
    description: '申请公开盘锦市{y}年度政府投资项目计划。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { daysAgo: 40 },
    steps: [{ act: 'discard', d: 1, reason: '重复提交：与同一申请人当日另一份提交内容相同。' }],
  },
  {
    agency: 'edu',
    applicant: P.liMing,
    description: '【中考冲刺】专业辅导机构，名师一对一，报名从速，详询客服。',
    channel: 'online',
    form: 'electronic',
    delivery: 'online',
    received: { daysAgo: 150 },
    steps: [{ act: 'discard', d: 1, reason: '内容为广告推广信息，不是政府信息公开申请。' }],
  },
  // in_progress
  {
    agency: 'hrss',
    applicant: P.gaoFeng,
    description: '申请公开盘锦市{y}年就业困难人员公益性岗位补贴的发放名单及资金拨付凭证。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    // overdue by 10 working days; the applicant has gone to reconsideration for the failure to reply
    received: { workingDaysAgo: 30 },
    steps: [{ act: 'record-review', d: 27, kind: 'reconsideration', note: '申请人以逾期未答复为由向盘锦市人民政府申请行政复议。' }],
  },
  {
    agency: 'nr',
    applicant: P.zhangXiulan,
    description: '申请公开辽东湾新区某地块土地征收的“一书四方案”及辽宁省人民政府的批复。',
    channel: 'registered_post',
    form: 'paper',
    delivery: 'post',
    // overdue by 4 working days
    received: { workingDaysAgo: 24 },
    steps: [],
  },
  {
    agency: 'edu',
    applicant: P.guoLihua,
    description: '申请公开盘锦市{y}年城区小学学区划分方案的制定依据及听证会记录。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    // due in 3 working days
    received: { workingDaysAgo: 17 },
    steps: [],
  },
  {
    agency: 'xlt',
    applicant: P.kimMinjun,
    description: '申请公开兴隆台区{y}年环境空气质量自动监测站点位置及超标时段数据。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    // due tomorrow (1 working day left)
    received: { workingDaysAgo: 19 },
    steps: [],
  },
  {
    agency: 'housing',
    applicant: O.ownersCommittee,
    description: '申请公开锦绣园小区住宅专项维修资金的使用情况及历次使用审批记录。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { workingDaysAgo: 6 },
    steps: [{ act: 'confirm-receipt', d: 0 }],
  },
  {
    agency: 'sz',
    applicant: O.xindaConstruction,
    description: '申请公开双台子区{y-1}年至{y}年河道治理工程的立项批复、招投标文件、施工合同及竣工验收报告。',
    channel: 'in_person',
    form: 'electronic',
    delivery: 'email',
    received: { workingDaysAgo: 24 },
    steps: [
      { act: 'request-extension', d: 17, days: 20, reason: '所申请信息分散于多个年度和多个项目，需会同区水利部门逐项检索，无法在20个工作日内答复。' },
      { act: 'approve-extension', d: 18 },
    ],
  },
  {
    agency: 'office',
    applicant: P.songZhiyuan,
    description: '申请公开盘锦市人民政府{y-1}年印发的全部行政规范性文件的起草说明及合法性审查意见。',
    channel: 'registered_post',
    form: 'paper',
    delivery: 'post',
    received: { workingDaysAgo: 15 },
    steps: [
      { act: 'request-reasons', d: 2, items: ['请说明同期提出42件政府信息公开申请的理由'] },
      { act: 'record-delivery', d: 3, of: 'reasons_request', method: 'post' },
      { act: 'record-reasons', d: 5, content: '申请人来信说明：所申请文件系其承担的规范性文件清理课题所需，需逐件核对。', reasonable: true },
      { act: 'set-delayed-reply', d: 6, untilD: 45, reason: '申请人同期提交政府信息公开申请42件，数量众多，确有正当理由但无法在法定期限内答复，依据条例第三十五条确定延迟答复期限。' },
    ],
  },
  {
    agency: 'hrss',
    applicant: P.wangJianjun,
    description: '申请公开有关社保补贴的文件。',
    channel: 'ordinary_letter',
    form: 'paper',
    delivery: 'post',
    received: { workingDaysAgo: 20 },
    steps: [
      { act: 'request-correction', d: 2, items: ['请说明所指社保补贴的具体类别、年度及适用人群'] },
      { act: 'record-correction', d: 8, content: '所指为{y}年盘锦市就业困难人员灵活就业社会保险补贴的申领条件及发放名单。' },
    ],
  },
  {
    agency: 'nr',
    applicant: P.chenZhigang,
    description: '申请公开盘锦市{y-1}年度耕地占补平衡指标交易明细及资金收支情况。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { workingDaysAgo: 14 },
    steps: [
      { act: 'notify-fee', d: 3, pages: 60 },
      { act: 'record-payment', d: 9 },
    ],
  },
  // awaiting_correction
  {
    agency: 'edu',
    applicant: P.sunYumei,
    description: '申请公开去年那个学校合并的文件。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    received: { workingDaysAgo: 5 },
    steps: [{ act: 'request-correction', d: 2, items: ['请说明所指学校的名称及合并的大致时间', '如知道文件名称或文号，请一并提供'] }],
  },
  {
    agency: 'xlt',
    applicant: P.dongXiuzhen,
    description: '申请公开拆迁的补偿标准。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    // the correction period has run out: the clerk may conclude it as lapsed
    received: { workingDaysAgo: 22 },
    steps: [{ act: 'request-correction', d: 5, items: ['请说明所指征收项目的名称或房屋所在位置'], periodDays: 15 }],
  },
  // consulting
  {
    agency: 'housing',
    applicant: P.zhuXiaodong,
    description: '申请公开盘锦市住房和城乡建设局对宏远物业服务有限公司信用评价的扣分依据及相关检查记录。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { workingDaysAgo: 12 },
    steps: [
      { act: 'consult', d: 4, party: 'third_party', name: '盘锦宏远物业服务有限公司' },
      { act: 'record-delivery', d: 5, of: 'third_party_consultation', method: 'post' },
    ],
  },
  {
    agency: 'office',
    applicant: O.envResearch,
    description: '申请公开盘锦市{y}年重大项目前期工作经费安排方案（市发展改革委与市政府办公室联合印发）。',
    channel: 'online',
    form: 'electronic',
    delivery: 'email',
    received: { workingDaysAgo: 26 },
    steps: [
      { act: 'confirm-receipt', d: 1 },
      { act: 'consult', d: 6, party: 'other_agency', name: '盘锦市发展和改革委员会', jointMaker: true },
      { act: 'consult', d: 8, party: 'third_party', name: '盘锦辽河油田建设有限公司' },
      { act: 'end-consultation', d: 20, which: 0, opinion: 'consent', note: '共同制作机关书面同意公开。' },
    ],
  },
  // awaiting_fee
  {
    agency: 'sz',
    applicant: O.riceCompany,
    description: '申请公开双台子区{y-1}年度全部政府采购合同文本。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { workingDaysAgo: 9 },
    steps: [{ act: 'notify-fee', d: 5, pages: 120 }],
  },
  {
    agency: 'nr',
    applicant: O.envResearch,
    description: '申请公开盘锦市矿产资源总体规划环境影响评价报告书全本。',
    channel: 'email',
    form: 'electronic',
    delivery: 'email',
    // the 20 working days to pay have run out: the clerk may conclude it as lapsed
    received: { workingDaysAgo: 30 },
    steps: [{ act: 'notify-fee', d: 7, pages: 45 }],
  },
  // reply_review
  {
    agency: 'edu',
    applicant: P.tangWenbo,
    description: '申请公开盘锦市{y}年中小学教师公开招聘的岗位计划、笔试成绩及拟聘用人员名单。',
    channel: 'in_person',
    form: 'electronic',
    delivery: 'email',
    received: { workingDaysAgo: 15 },
    steps: [{ act: 'draft-reply', d: 14, outcome: 'granted', reasons: '现将{y}年教师公开招聘岗位计划、笔试成绩及拟聘用人员名单提供给您。' }],
  },
  {
    agency: 'hrss',
    applicant: O.hengxinLaw,
    description: '申请公开盘锦市人力资源和社会保障局对某化工企业{y}年生产安全事故中受伤职工作出的工伤认定决定书。',
    channel: 'registered_post',
    form: 'paper',
    delivery: 'post',
    // overdue by 1 working day while the reply waits for sign-off
    received: { workingDaysAgo: 21 },
    steps: [
      {
        act: 'draft-reply',
        d: 19,
        ...withheld('partial', ['受伤职工的身份证号码、住址及病历资料'], '工伤认定决定书予以公开；其中受伤职工的个人身份信息及病历资料属于个人隐私，依据条例第十五条、第三十七条作区分处理。', ['withheld.third_party']),
      },
    ],
  },
  // reply_approved
  {
    agency: 'xlt',
    applicant: P.yangLijuan,
    description: '申请公开兴隆台区石油大街与兴隆大街交叉口交通信号灯设置的审批文件。',
    channel: 'fax',
    form: 'paper',
    delivery: 'fax',
    received: { workingDaysAgo: 18 },
    steps: [
      {
        act: 'draft-reply',
        d: 16,
        outcome: 'unavailable.not_held',
        reasons: '经检索，本机关未制作、获取该信息。道路交通信号灯的设置由公安机关交通管理部门负责。',
        competentAgency: { name: '盘锦市公安局交通警察支队' },
      },
      { act: 'approve-reply', d: 17 },
    ],
  },
  {
    agency: 'sz',
    applicant: P.xuLixin,
    description: '申请公开双台子区{y}年政府工作报告全文。',
    channel: 'in_person',
    form: 'paper',
    delivery: 'collect',
    received: { workingDaysAgo: 10 },
    steps: [
      { act: 'draft-reply', d: 8, outcome: 'granted.proactive', reasons: '该报告已在双台子区人民政府门户网站“政府工作报告”栏目主动公开，可在线查阅、下载。' },
      { act: 'approve-reply', d: 9 },
    ],
  },
];
