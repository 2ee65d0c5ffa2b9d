import { formatChineseDate, parseIsoDate } from '../../statute/iso-date';
import type { ActionKind } from '../scheduled-action.entity';

/** What a reminder mail may show: no identity numbers, no phone numbers, the name masked. */
export interface ReminderView {
  kind: ActionKind;
  trackingNumber?: string;
  applicantMasked?: string;
  agencyName: string;
  dueDate?: string | null;
  /** the staff front-end's page of the case (STAFF_URL); null → no link, the tracking number alone */
  link: string | null;
  data: Record<string, unknown>;
}

export interface DigestView {
  agencyName: string;
  date: string;
  /** the staff front-end's deadline board (STAFF_URL); null → no link */
  link: string | null;
  dueSoon: DigestLine[];
  overdue: DigestLine[];
  awaitingApproval: DigestLine[];
}

export interface DigestLine {
  trackingNumber: string;
  agencyName: string;
  dueDate: string | null;
  stateLabel: string;
}

const zh = (d: unknown): string => {
  if (typeof d !== 'string') return '';
  const n = parseIsoDate(d);
  return n === null ? d : formatChineseDate(n);
};

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function body(v: ReminderView): { subject: string; lines: string[] } {
  const tn = v.trackingNumber ?? '';
  const who = v.applicantMasked ? `（申请人：${v.applicantMasked}）` : '';
  switch (v.kind) {
    case 'deadline_reminder': {
      // the working days left when sent (the sender counts them), else those the reminder was planned for
      const n = Number(v.data.daysLeft ?? v.data.daysBefore ?? 0);
      const when = n === 0 ? '今天届满' : `还有${n}个工作日届满`;
      return { subject: `【答复期限提醒】${tn} ${when}`, lines: [`政府信息公开申请 ${tn}${who}的答复期限为${zh(v.dueDate)}，${when}。`, '请及时办理并按期答复。'] };
    }
    case 'overdue_escalation':
      return { subject: `【逾期督办】${tn} 已超过答复期限`, lines: [`政府信息公开申请 ${tn}${who}的答复期限为${zh(v.data.dueDate)}，现已逾期未答复。`, '请督促承办人立即办理。'] };
    case 'correction_limit':
      return { subject: `【补正提醒】${tn} 要求补正的期限将届满`, lines: [`如需申请人补正，须在收到申请之日起7个工作日内一次性告知（条例第三十条），最后一日为${zh(v.data.limit)}。`] };
    case 'unconfirmed_submission':
      return { subject: `【待确认】网上申请 ${tn} 尚未确认收到`, lines: [`申请人于${zh(v.data.submittedOn)}通过互联网提交的申请 ${tn} 尚未确认收到，请及时确认或作废。`] };
    case 'consultation_response':
      return { subject: `【征求意见】${tn} 答复期限将届满`, lines: [`申请 ${tn} 征求意见的答复期限为${zh(v.data.respondBy)}。逾期未答复的，请记录并由本机关依法决定。`] };
    case 'correction_lapsed':
      return { subject: `【补正期满】${tn} 申请人未在期限内补正`, lines: [`申请 ${tn} 的补正期限已于${zh(v.data.periodEnded)}届满。申请人无正当理由逾期不补正的，视为放弃申请，请确认后办结。`] };
    case 'fee_lapsed':
      return { subject: `【缴费期满】${tn} 申请人未在期限内缴费`, lines: [`申请 ${tn} 的缴费期限已于${zh(v.data.periodEnded)}届满。逾期未缴纳的，视为放弃申请，请确认后办结。`] };
    case 'extension_approval':
      return { subject: `【待审批】${tn} 申请延期答复`, lines: [`申请 ${tn} 的承办人于${zh(v.data.requestedOn)}申请延长答复期限，请在答复期限（${zh(v.dueDate)}）届满前审批。`] };
    case 'reply_approval':
      return { subject: `【待签批】${tn} 答复待签批`, lines: [`申请 ${tn} 的答复已拟定，待第${typeof v.data.step === 'number' ? v.data.step : 1}步签批（含保密审查）。答复期限：${zh(v.dueDate) || '—'}。`] };
    default:
      return { subject: `【提醒】${tn}`, lines: [] };
  }
}

export function renderReminder(v: ReminderView): { subject: string; text: string; html: string } {
  const { subject, lines } = body(v);
  const tail = v.link ? `办理链接：${v.link}` : `案件编号：${v.trackingNumber ?? ''}（请登录办理系统查看）`;
  const all = [...lines, tail, '', `${v.agencyName}　政府信息公开办理系统（系统邮件，请勿直接回复）`];
  return {
    subject,
    text: all.join('\n'),
    html: `<!doctype html><html><body style="font-family:sans-serif">${all.map((l) => (v.link && l.startsWith('办理链接：') ? `<p><a href="${esc(v.link)}">打开案件 ${esc(v.trackingNumber ?? '')}</a></p>` : `<p>${esc(l)}</p>`)).join('')}</body></html>`,
  };
}

export function renderDigest(v: DigestView): { subject: string; text: string; html: string } {
  const sections: [string, DigestLine[]][] = [
    ['已逾期', v.overdue],
    ['5个工作日内到期', v.dueSoon],
    ['待审批（延期或答复签批）', v.awaitingApproval],
  ];
  const text = [
    `${v.agencyName} 政府信息公开办理日报（${zh(v.date)}）`,
    '',
    ...sections.flatMap(([title, rows]) => [
      `${title}：${rows.length}件`,
      ...rows.map((r) => `  ${r.trackingNumber}　${r.agencyName}　${r.stateLabel}　期限：${r.dueDate ? zh(r.dueDate) : '—'}`),
      '',
    ]),
    v.link ? `查看：${v.link}` : '请登录办理系统查看期限看板。',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><h3>${esc(v.agencyName)} 政府信息公开办理日报（${esc(zh(v.date))}）</h3>${sections
    .map(
      ([title, rows]) =>
        `<h4>${esc(title)}：${rows.length}件</h4><table>${rows.map((r) => `<tr><td>${esc(r.trackingNumber)}</td><td>${esc(r.agencyName)}</td><td>${esc(r.stateLabel)}</td><td>${esc(r.dueDate ? zh(r.dueDate) : '—')}</td></tr>`).join('')}</table>`,
    )
    .join('')}${v.link ? `<p><a href="${esc(v.link)}">打开期限看板</a></p>` : '<p>请登录办理系统查看期限看板。</p>'}</body></html>`;
  return { subject: `【日报】${v.agencyName} 逾期${v.overdue.length}件，即将到期${v.dueSoon.length}件，待审批${v.awaitingApproval.length}件`, text, html };
}
