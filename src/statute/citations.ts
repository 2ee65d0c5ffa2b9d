/**
 * Article citations in a letter's words (letters.md §Structure 5): the catalogue's article codes
 * (`36(二)`, `16 ¶2`, `办法`) as the text a letter prints, e.g.
 * 《中华人民共和国政府信息公开条例》第三十六条第（二）项. Pure.
 */
import { OUTCOMES, isWithheldCode, type OutcomeCode, type WithheldOutcomeCode } from './outcomes';

export const REGULATION = '《中华人民共和国政府信息公开条例》';
/** 国办函〔2020〕109号 */
export const FEE_MEASURES = '《政府信息公开信息处理费管理办法》';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 16 → 十六, 36 → 三十六, 99 → 九十九 (the Regulation has 56 articles). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`not an article number: ${n}`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const t = tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`;
  return t + (ones === 0 ? '' : DIGITS[ones]);
}

const ARTICLE = /^(\d{1,2})(?:\(([一二三四五六七八九十]+)\))?(?: ¶(\d))?$/u;

/** One article code without the act's name: `36(二)` → 第三十六条第（二）项, `16 ¶2` → 第十六条第二款. */
export function articleText(code: string): string {
  const m = ARTICLE.exec(code);
  if (!m) throw new RangeError(`not an article code: ${code}`);
  let s = `第${chineseNumeral(Number(m[1]))}条`;
  if (m[3]) s += `第${chineseNumeral(Number(m[3]))}款`;
  if (m[2]) s += `第（${m[2]}）项`;
  return s;
}

/**
 * A list of article codes as one citation: the Regulation's articles after its name, joined by 、,
 * then the fee measures when `办法` is among them: 《…条例》第四十二条和《…办法》. Duplicates dropped, order kept.
 */
export function citeArticles(codes: readonly string[]): string {
  const unique = [...new Set(codes)];
  const regulation = unique.filter((c) => c !== '办法');
  const parts: string[] = [];
  if (regulation.length > 0) parts.push(REGULATION + regulation.map(articleText).join('、'));
  if (unique.includes('办法')) parts.push(FEE_MEASURES);
  if (parts.length === 0) throw new RangeError('nothing to cite');
  return parts.join('和');
}

/** The articles of a withholding ground without the 36(三) every ground shares: 14, 15 + 32, 16 ¶1, 16 ¶2, 36(七). */
export function groundArticles(ground: WithheldOutcomeCode): readonly string[] {
  const own = OUTCOMES[ground].articles.filter((a) => a !== '36(三)');
  return own;
}

export interface CitationContext {
  /** the grounds of what is withheld (`partial`, `withheld.*`) */
  readonly grounds?: readonly string[];
  /** Art 36(五): the competent agency is named */
  readonly competentAgency?: boolean;
}

/**
 * The articles a reply of `outcome` cites (letters.md §Replies): the outcome's basis; `partial` adds each
 * ground's own articles to 37; `withheld.*` adds those of further grounds; `unavailable.not_held` cites
 * 36(五) when it names the competent agency and 36(四) otherwise; `rejected.confirmation` cites none.
 */
export function replyArticles(outcome: OutcomeCode, ctx: CitationContext = {}): readonly string[] {
  const grounds = (ctx.grounds ?? []).filter(isWithheldCode);
  if (outcome === 'unavailable.not_held') return [ctx.competentAgency ? '36(五)' : '36(四)'];
  const own = OUTCOMES[outcome].articles;
  if (outcome === 'partial') return [...new Set([...own, ...grounds.flatMap((g) => groundArticles(g))])];
  if (outcome.startsWith('withheld.')) return [...new Set([...own, ...grounds.flatMap((g) => OUTCOMES[g].articles)])];
  return own;
}

/** The citation a reply prints, or null when the outcome rests on no article (`rejected.confirmation`, `other.other`). */
export function replyCitation(outcome: OutcomeCode, ctx: CitationContext = {}): string | null {
  const a = replyArticles(outcome, ctx);
  return a.length === 0 ? null : citeArticles(a);
}
