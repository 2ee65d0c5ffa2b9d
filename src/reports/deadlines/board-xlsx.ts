import ExcelJS from 'exceljs';
import type { DeadlineBoardDto } from './deadlines.dto';

const REASONS = { correction: '逾期未补正', fee: '逾期未缴费' } as const;

/** The board as a workbook for printing: the cases by urgency, the lapsed ones, the submissions awaiting confirmation. */
export async function boardWorkbook(b: DeadlineBoardDto): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(`${b.today}T00:00:00+08:00`);
  const title = `${b.agency.name}${b.includeSubAgencies ? '（含下级机关）' : ''}`;

  const main = wb.addWorksheet('期限看板', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  main.addRow([`${title} 答复期限看板（${b.today}，${b.within}个工作日内届满及已逾期）`]);
  main.mergeCells(1, 1, 1, 10);
  main.getRow(1).font = { bold: true, size: 14 };
  const head = main.addRow(['受理编号', '机关', '状态', '收到申请日', '答复期限', '剩余工作日', '逾期', '暂停计算', '暂定期限', '承办人']);
  head.font = { bold: true };
  for (const i of b.items) {
    main.addRow([i.trackingNumber, i.agencyName, i.stateLabel, i.receiptDate, i.due, i.workingDaysLeft, i.overdue ? '是' : '', i.paused ? '是' : '', i.provisional ? '是' : '', i.assignee?.name ?? '']);
  }
  main.views = [{ state: 'frozen', ySplit: 2 }];
  main.columns.forEach((c, n) => (c.width = [14, 24, 10, 12, 12, 10, 6, 8, 8, 12][n]));

  const lapsed = wb.addWorksheet('可办结', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  lapsed.addRow(['受理编号', '机关', '原因', '期限届满日', '承办人']).font = { bold: true };
  for (const l of b.lapsed) lapsed.addRow([l.trackingNumber, l.agencyName, REASONS[l.reason], l.periodEnded, l.assignee?.name ?? '']);
  lapsed.columns.forEach((c, n) => (c.width = [14, 24, 12, 12, 12][n]));

  const subs = wb.addWorksheet('待确认申请', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  subs.addRow(['受理编号', '机关', '渠道', '提交时间', '已等待工作日']).font = { bold: true };
  for (const s of b.awaitingConfirmation) subs.addRow([s.trackingNumber, s.agencyName, s.channel, s.submittedAt, s.workingDaysWaiting]);
  subs.columns.forEach((c, n) => (c.width = [14, 24, 10, 26, 12][n]));

  return Buffer.from(await wb.xlsx.writeBuffer());
}
