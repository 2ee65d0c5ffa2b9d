import ExcelJS from 'exceljs';
import {
  APPLICANT_COLUMNS,
  groupOfRow,
  resultRows,
  REVIEW_KINDS,
  table3Layout,
  table3Rows,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  TABLE3_GROUP_LABELS,
  TABLE3_HEADER,
  TABLE3_ROW_LABELS,
  TABLE4_CELLS,
  TABLE4_LABELS,
  type ReportFormatName,
  type ReviewKind,
} from '../../statute/annual-report';
import type { AnnualFees } from './annual-report.types';
import type { AnnualReport } from './annual-report.service';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const FEE_LABELS: Readonly<Record<keyof AnnualFees, string>> = {
  casesCharged: '发出收费通知的件数',
  amountCharged: '收费通知金额（元）',
  casesPaid: '缴费件数',
  amountCollected: '实际收取金额（元）',
};

const REVIEW_LABELS: Readonly<Record<ReviewKind, string>> = {
  reconsideration: TABLE4_LABELS.reconsideration,
  litigation_direct: `${TABLE4_LABELS.litigation}·${TABLE4_LABELS.litigation_direct}`,
  litigation_after_reconsideration: `${TABLE4_LABELS.litigation}·${TABLE4_LABELS.litigation_after_reconsideration}`,
};

export function reportTitle(r: AnnualReport): string {
  return `${r.agency.name}${r.includeSubAgencies ? '（含下级机关）' : ''}${r.year}年政府信息公开工作年度报告`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (cells: (string | number)[]): string => cells.map(csvCell).join(',');

/**
 * The report as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese): table 三 with its three label
 * levels and a code column, table 四, the fees. A line with a code carries figures; the others are headings.
 */
export function annualCsv(r: AnnualReport): string {
  const format = r.format as ReportFormatName;
  const lines: string[] = [];
  lines.push(csvLine([reportTitle(r), r.format, r.publication ? `${r.publication.publishedOn}公开` : '未公开']));
  lines.push(csvLine([TABLE3_HEADER.title]));
  lines.push(csvLine(['代码', '项目', '', '', ...TABLE3_COLUMNS.map((c) => TABLE3_COLUMN_LABELS[c])]));
  for (const line of table3Layout(format)) {
    const labels = [...line.labels, '', '', ''].slice(0, 3);
    const row = r.applications.rows[line.code as keyof typeof r.applications.rows];
    lines.push(csvLine([line.code!, ...labels, ...TABLE3_COLUMNS.map((c) => row[c])]));
  }
  lines.push('');
  lines.push(csvLine([TABLE4_LABELS.title]));
  lines.push(csvLine(['代码', '类别', ...TABLE4_CELLS.map((c) => TABLE4_LABELS.cells[c])]));
  for (const k of REVIEW_KINDS) lines.push(csvLine([k, REVIEW_LABELS[k], ...TABLE4_CELLS.map((c) => r.reviews[k][c])]));
  lines.push('');
  lines.push(csvLine(['信息处理费']));
  lines.push(csvLine(['代码', '项目', '数值']));
  for (const k of Object.keys(FEE_LABELS) as (keyof AnnualFees)[]) lines.push(csvLine([k, FEE_LABELS[k], r.fees[k]]));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const CENTER = { vertical: 'middle' as const, horizontal: 'center' as const, wrapText: true };
const LEFT = { vertical: 'middle' as const, horizontal: 'left' as const, wrapText: true };
const FONT = { name: '宋体', size: 11 };

function frame(ws: ExcelJS.Worksheet, fromRow: number, toRow: number, fromCol: number, toCol: number): void {
  for (let r = fromRow; r <= toRow; r++) {
    for (let c = fromCol; c <= toCol; c++) {
      const cell = ws.getCell(r, c);
      cell.border = BORDER;
      cell.font = FONT;
      if (!cell.alignment) cell.alignment = CENTER;
    }
  }
}

function put(ws: ExcelJS.Worksheet, r1: number, c1: number, r2: number, c2: number, value: string, align: Partial<ExcelJS.Alignment> = CENTER): void {
  if (r1 !== r2 || c1 !== c2) ws.mergeCells(r1, c1, r2, c2);
  const cell = ws.getCell(r1, c1);
  cell.value = value;
  cell.alignment = align;
}

/** Sheet 三: the national layout (labels in A–C with the table's merged cells, figures in D–J). */
function table3Sheet(wb: ExcelJS.Workbook, r: AnnualReport): void {
  const format = r.format as ReportFormatName;
  const ws = wb.addWorksheet('三、收到和处理申请情况');
  ws.columns = [{ width: 14 }, { width: 16 }, { width: 40 }, ...TABLE3_COLUMNS.map(() => ({ width: 12 }))];
  put(ws, 1, 1, 1, 10, TABLE3_HEADER.title, LEFT);
  ws.getCell(1, 1).font = { ...FONT, bold: true };
  put(ws, 2, 1, 4, 3, TABLE3_HEADER.rule);
  put(ws, 2, 4, 2, 10, TABLE3_HEADER.applicants);
  put(ws, 3, 4, 4, 4, TABLE3_COLUMN_LABELS.natural_person);
  put(ws, 3, 5, 3, 9, TABLE3_HEADER.organisations);
  APPLICANT_COLUMNS.slice(1).forEach((c, i) => put(ws, 4, 5 + i, 4, 5 + i, TABLE3_COLUMN_LABELS[c]));
  put(ws, 3, 10, 4, 10, TABLE3_COLUMN_LABELS.total);

  const rows = table3Rows(format);
  const results = new Set<string>([...resultRows(format), 'concluded_total']);
  const first = 5;
  const at = (code: string): number => first + rows.indexOf(code as (typeof rows)[number]);
  const resultCodes = rows.filter((x) => results.has(x));
  put(ws, at(resultCodes[0]), 1, at(resultCodes[resultCodes.length - 1]), 1, TABLE3_GROUP_LABELS.results);
  const groupsDone = new Set<string>();
  for (const code of rows) {
    const row = at(code);
    const figures = r.applications.rows[code as keyof typeof r.applications.rows];
    if (!results.has(code)) put(ws, row, 1, row, 3, TABLE3_ROW_LABELS[code], LEFT);
    else {
      const group = groupOfRow(code, format);
      if (!group) put(ws, row, 2, row, 3, TABLE3_ROW_LABELS[code], LEFT);
      else {
        if (!groupsDone.has(group)) {
          const members = rows.filter((x) => groupOfRow(x, format) === group);
          put(ws, at(members[0]), 2, at(members[members.length - 1]), 2, TABLE3_GROUP_LABELS[group]);
          groupsDone.add(group);
        }
        put(ws, row, 3, row, 3, TABLE3_ROW_LABELS[code], LEFT);
      }
    }
    TABLE3_COLUMNS.forEach((c, i) => (ws.getCell(row, 4 + i).value = figures[c]));
  }
  const last = first + rows.length - 1;
  frame(ws, 2, last, 1, 10);
  const note = r.publication ? `${reportTitle(r)}，${r.publication.publishedOn}公开。格式：${r.format}` : `${reportTitle(r)}（未公开，当前数字）。格式：${r.format}`;
  put(ws, last + 2, 1, last + 2, 10, note, LEFT);
}

/** Sheet 四: 行政复议 (5 columns) and 行政诉讼 (two groups of 5), one row of figures. */
function table4Sheet(wb: ExcelJS.Workbook, r: AnnualReport): void {
  const ws = wb.addWorksheet('四、行政复议行政诉讼情况');
  ws.columns = Array.from({ length: 15 }, () => ({ width: 10 }));
  put(ws, 1, 1, 1, 15, TABLE4_LABELS.title, LEFT);
  ws.getCell(1, 1).font = { ...FONT, bold: true };
  put(ws, 2, 1, 3, 5, TABLE4_LABELS.reconsideration);
  put(ws, 2, 6, 2, 15, TABLE4_LABELS.litigation);
  put(ws, 3, 6, 3, 10, TABLE4_LABELS.litigation_direct);
  put(ws, 3, 11, 3, 15, TABLE4_LABELS.litigation_after_reconsideration);
  REVIEW_KINDS.forEach((k, g) =>
    TABLE4_CELLS.forEach((c, i) => {
      ws.getCell(4, 1 + g * 5 + i).value = TABLE4_LABELS.cells[c];
      ws.getCell(5, 1 + g * 5 + i).value = r.reviews[k][c];
    }),
  );
  frame(ws, 2, 5, 1, 15);
}

function feesSheet(wb: ExcelJS.Workbook, r: AnnualReport): void {
  const ws = wb.addWorksheet('信息处理费');
  ws.columns = [{ width: 24 }, { width: 14 }];
  put(ws, 1, 1, 1, 2, `${r.year}年信息处理费`, LEFT);
  (Object.keys(FEE_LABELS) as (keyof AnnualFees)[]).forEach((k, i) => {
    ws.getCell(2 + i, 1).value = FEE_LABELS[k];
    ws.getCell(2 + i, 2).value = r.fees[k];
  });
  frame(ws, 2, 5, 1, 2);
}

/** The report as XLSX, laid out like the official tables 三 and 四 (exact labels, merged header cells, national order). */
export async function annualXlsx(r: AnnualReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gov-info-disclosure';
  table3Sheet(wb, r);
  table4Sheet(wb, r);
  feesSheet(wb, r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
