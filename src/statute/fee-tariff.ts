/**
 * Information-processing fee (信息处理费): Regulation Art 42 and 《政府信息公开信息处理费管理办法》
 * (国办函〔2020〕109号). Two progressive tariffs (超额累进); one per application, never both.
 * Amounts are whole yuan.
 */

export const FEE_TARIFFS = ['per_item', 'per_page'] as const;
/** `per_item` 按件计收, `per_page` 按量计收. */
export type FeeTariff = (typeof FEE_TARIFFS)[number];

export const FEE_TARIFF_LABELS: Readonly<Record<FeeTariff, string>> = {
  per_item: '按件计收',
  per_page: '按量计收',
};

/** Per item: applications of one applicant in a calendar month; the first 10 are free. */
export const PER_ITEM_FREE = 10;

function assertCount(n: number, min: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${n}`);
}

/**
 * The fee of the applicant's `nth` application this calendar month (按件计收):
 * 1st–10th free; 11th–30th 100 yuan; from the 31st, bands of 10, each 100 yuan more
 * than the one before (31st–40th 200, 41st–50th 300, …).
 */
export function perItemFee(nth: number): number {
  assertCount(nth, 1, 'nth');
  if (nth <= PER_ITEM_FREE) return 0;
  if (nth <= 30) return 100;
  return 100 * (2 + Math.floor((nth - 31) / 10));
}

/** Per-page bands (按量计收): pages of one application, from `from` (inclusive), yuan per page. */
export const PER_PAGE_BANDS: readonly { readonly from: number; readonly yuanPerPage: number }[] = [
  { from: 1, yuanPerPage: 0 },
  { from: 31, yuanPerPage: 10 },
  { from: 101, yuanPerPage: 20 },
  { from: 201, yuanPerPage: 40 },
];

/** The fee for `pages` pages of one application: pages 1–30 free, 31–100 at 10, 101–200 at 20, 201+ at 40 yuan. */
export function perPageFee(pages: number): number {
  assertCount(pages, 0, 'pages');
  let fee = 0;
  PER_PAGE_BANDS.forEach((band, i) => {
    const next = PER_PAGE_BANDS[i + 1]?.from ?? Infinity;
    const inBand = Math.max(0, Math.min(pages, next - 1) - band.from + 1);
    fee += inBand * band.yuanPerPage;
  });
  return fee;
}

export interface FeeRequest {
  readonly tariff: FeeTariff;
  /** per_item: the rank of this application among the applicant's applications this month. */
  readonly nth?: number;
  /** per_page: the number of pages supplied. */
  readonly pages?: number;
}

/** The amount for one application under the chosen tariff. */
export function feeFor(req: FeeRequest): number {
  switch (req.tariff) {
    case 'per_item':
      if (req.nth === undefined) throw new RangeError('per_item needs nth');
      return perItemFee(req.nth);
    case 'per_page':
      if (req.pages === undefined) throw new RangeError('per_page needs pages');
      return perPageFee(req.pages);
    default:
      throw new RangeError(`unknown tariff: ${String((req as { tariff: unknown }).tariff)}`);
  }
}

// ---------------------------------------------------------------------------- the quote (收费测算)

/** The most pages a quote or notice accepts (one application's copies; beyond this a number is a typing error). */
export const MAX_PAGES = 1_000_000;

/** What the 办法 says of each tariff, for the clerk deciding between them (国办函〔2020〕109号 第三条). */
export const FEE_TARIFF_WORDING: Readonly<Record<FeeTariff, string>> = {
  per_item:
    '按件计收：申请人的一份政府信息公开申请包含多项内容的，行政机关可以按照“一事一申请”原则对申请进行拆分计件。同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分：100元/件；31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件。',
  per_page:
    '按量计收：同一政府信息公开申请中，行政机关提供政府信息的数量（以纸张页数计）30页以下（含30页）的，不收费；31—100页（含100页）的部分：10元/页；101—200页（含200页）的部分：20元/页；201页以上的部分：40元/页。',
};

/** One band of a tariff: from `from` to `to` (inclusive; null: no upper end), at `yuan` per item or page. */
export interface FeeBand {
  readonly from: number;
  readonly to: number | null;
  readonly yuan: number;
}

/** The per-item band the `nth` application of the month falls in (1–10, 11–30, 31–40, 41–50, …). */
export function perItemBand(nth: number): FeeBand {
  assertCount(nth, 1, 'nth');
  if (nth <= PER_ITEM_FREE) return { from: 1, to: PER_ITEM_FREE, yuan: 0 };
  if (nth <= 30) return { from: 11, to: 30, yuan: 100 };
  const from = 31 + Math.floor((nth - 31) / 10) * 10;
  return { from, to: from + 9, yuan: perItemFee(nth) };
}

/** The per-page bands that `pages` reach, with how many pages fall in each (progressive, 超额累进). */
export function perPageBreakdown(pages: number): (FeeBand & { readonly pages: number; readonly amount: number })[] {
  assertCount(pages, 0, 'pages');
  const out: (FeeBand & { pages: number; amount: number })[] = [];
  PER_PAGE_BANDS.forEach((band, i) => {
    const next = PER_PAGE_BANDS[i + 1]?.from;
    const inBand = Math.max(0, Math.min(pages, next === undefined ? Infinity : next - 1) - band.from + 1);
    if (inBand > 0) out.push({ from: band.from, to: next === undefined ? null : next - 1, yuan: band.yuanPerPage, pages: inBand, amount: inBand * band.yuanPerPage });
  });
  return out;
}

export interface FeeQuote {
  readonly tariff: FeeTariff;
  readonly amount: number;
  /** per_item: the rank of the application in the month; null for per_page */
  readonly position: number | null;
  /** per_page: the pages quoted; null for per_item */
  readonly pages: number | null;
  /** the band applied: per_item the band of `position`; per_page the highest band the pages reach (null for none) */
  readonly band: FeeBand | null;
  /** per_page: every band reached, with its pages and amount */
  readonly breakdown: readonly (FeeBand & { readonly pages: number; readonly amount: number })[];
  readonly wording: string;
}

/** The quote for one application under one tariff: the amount, the band, the 办法's wording. */
export function quoteFee(req: { tariff: FeeTariff; position?: number; pages?: number }): FeeQuote {
  if (req.tariff === 'per_item') {
    if (req.position === undefined) throw new RangeError('per_item needs the position');
    return { tariff: 'per_item', amount: perItemFee(req.position), position: req.position, pages: null, band: perItemBand(req.position), breakdown: [], wording: FEE_TARIFF_WORDING.per_item };
  }
  if (req.tariff === 'per_page') {
    if (req.pages === undefined) throw new RangeError('per_page needs pages');
    if (req.pages > MAX_PAGES) throw new RangeError(`pages must be ≤ ${MAX_PAGES}`);
    const breakdown = perPageBreakdown(req.pages);
    const top = breakdown[breakdown.length - 1];
    return {
      tariff: 'per_page',
      amount: perPageFee(req.pages),
      position: null,
      pages: req.pages,
      band: top ? { from: top.from, to: top.to, yuan: top.yuan } : null,
      breakdown,
      wording: FEE_TARIFF_WORDING.per_page,
    };
  }
  throw new RangeError(`unknown tariff: ${String(req.tariff)}`);
}

/** 办法: the amount paid must be the amount the notice stated (whole yuan or fen, compared in fen). */
export function paymentMatchesNotice(paid: number, notified: number): boolean {
  return Number.isFinite(paid) && Math.round(paid * 100) === Math.round(notified * 100);
}
