/**
 * Art 44 (多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关可以纳入主动公开的范围):
 * which disclosed applications ask for the same information. Pure: descriptions in, groups out.
 *
 * Two requests are taken to be for the same information when
 * 1. both name a 文号 (document number): the numbers are equal (after removing spaces and bracket variants); else
 * 2. the figures they mention (years, numbers: "2023", "12") are the same set when both mention any — a request for
 *    the 2023 budget is not one for the 2024 budget however alike the words; and
 * 3. the character-bigram Jaccard similarity of the descriptions, after removing the words every application uses
 *    (申请公开, 请提供, 我想了解, 相关, 情况, …) and punctuation, is at least SIMILARITY_THRESHOLD.
 * Groups are the connected components of that relation (single linkage).
 */

/**
 * Chosen on the spec's fixtures: paraphrases of one request score 0.5 and above (城市道路维修资金使用 ~ 城市道路维修经费
 * 使用明细: 1.0; 市教育局部门预算 ~ 教育局部门预算文本: 0.67), while a different document on the same theme stays below
 * (部门预算 ~ 部门决算: 0.40–0.44; 道路维修资金 ~ 绿化资金: 0.33; 道路维修 ~ 道路建设规划: 0.23).
 */
export const SIMILARITY_THRESHOLD = 0.5;

/** Words of the request itself rather than of the information asked for (longest first). */
const FILLER = [
  '依申请公开', '政府信息公开', '申请公开', '申请获取', '申请提供', '请求公开', '要求公开', '请予公开', '请公开', '请提供', '请求提供', '要求提供',
  '我想了解', '我想要', '我需要', '本人申请', '本人', '我单位', '贵单位', '贵机关', '贵局', '贵委', '贵办', '获取', '提供', '公开', '查询', '了解',
  '有关', '相关', '关于', '情况', '明细', '清单', '信息', '内容', '文件', '资料', '材料', '复印件', '电子版', '全文', '具体', '详细', '一份', '本市', '我市', '市里', '的', '和', '及', '与', '等',
];

/** Words that name the same thing in applications (the first is replaced by the second). */
const SYNONYMS: readonly [string, string][] = [
  ['经费', '资金'],
  ['款项', '资金'],
  ['开支', '支出'],
];

const FULLWIDTH_DIGITS = /[０-９]/g;
const CHINESE_YEAR_SUFFIX = /年度/g;

/**
 * The words of a description that name the information: figures (compared on their own, see `figuresOf`) with
 * their 年/月/日/号, punctuation and the filler words removed, synonyms unified.
 */
export function normaliseDescription(text: string): string {
  let s = text.replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(CHINESE_YEAR_SUFFIX, '年').toLowerCase();
  s = s.replace(/\d+[年月日号]?/g, '');
  s = s.replace(/[^\p{L}\p{N}]+/gu, '');
  for (const [a, b] of SYNONYMS) s = s.split(a).join(b);
  for (const w of FILLER) s = s.split(w).join('');
  return s;
}

/** The figures a description mentions ("2023", "12"), as a set of strings without leading zeros. */
export function figuresOf(text: string): Set<string> {
  const t = text.replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return new Set((t.match(/\d+/g) ?? []).map((n) => n.replace(/^0+(?=\d)/, '')));
}

/** The character bigrams of a normalised description (a one-character text is its own gram). */
export function bigrams(normalised: string): Set<string> {
  const chars = [...normalised];
  if (chars.length === 1) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

export function normaliseDocumentNumber(n: string | null | undefined): string | null {
  if (!n) return null;
  const s = n.replace(/[\s〔〕[\]【】()（）]/g, '').replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return s.length ? s : null;
}

export interface RequestText {
  description: string;
  documentNumber?: string | null;
}

interface Prepared {
  grams: Set<string>;
  figures: Set<string>;
  doc: string | null;
}

function prepare(r: RequestText): Prepared {
  return { grams: bigrams(normaliseDescription(r.description)), figures: figuresOf(r.description), doc: normaliseDocumentNumber(r.documentNumber) };
}

function sameFigures(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function similarPrepared(a: Prepared, b: Prepared): boolean {
  if (a.doc && b.doc) return a.doc === b.doc;
  if (!sameFigures(a.figures, b.figures)) return false;
  return jaccard(a.grams, b.grams) >= SIMILARITY_THRESHOLD;
}

/** Whether two requests ask for the same information (rules above). Symmetric. */
export function similarRequests(a: RequestText, b: RequestText): boolean {
  return similarPrepared(prepare(a), prepare(b));
}

/**
 * Groups of requests for the same information: indexes into `requests`, each group in input order, groups in the
 * order of their first member. Candidate pairs come from an inverted index of bigrams (and document numbers), so
 * requests sharing nothing are never compared.
 */
export function groupSimilarRequests(requests: readonly RequestText[]): number[][] {
  const prepared = requests.map(prepare);
  const parent = requests.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const postings = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    const keys = p.doc ? [`#${p.doc}`, ...p.grams] : [...p.grams];
    for (const k of keys) {
      const list = postings.get(k);
      if (list) list.push(i);
      else postings.set(k, [i]);
    }
  });
  const compared = new Set<number>();
  const n = requests.length;
  for (let i = 0; i < n; i++) {
    compared.clear();
    const p = prepared[i];
    const keys = p.doc ? [`#${p.doc}`, ...p.grams] : [...p.grams];
    for (const k of keys) {
      for (const j of postings.get(k)!) {
        if (j <= i || compared.has(j)) continue;
        compared.add(j);
        if (find(i) !== find(j) && similarPrepared(p, prepared[j])) union(i, j);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()];
}
