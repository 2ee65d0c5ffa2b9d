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
