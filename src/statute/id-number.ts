import { todayInShanghai } from './iso-date';
/**
 * Identity documents of applicants (申请人身份证件), Regulation Art 29 ¶2(一):
 * check characters, and masking for display.
 */

export const ID_TYPES = ['resident_id', 'passport', 'other_personal', 'uscc', 'other_org'] as const;
export type IdType = (typeof ID_TYPES)[number];

export function isIdType(s: unknown): s is IdType {
  return typeof s === 'string' && (ID_TYPES as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------
// 居民身份证号码, GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence,
// check character by ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11; value 10 is written X).

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_CHECK = '10X98765432';

/** The check character of the first 17 digits of a resident identity number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_WEIGHTS[i];
  return RESIDENT_CHECK[sum % 11];
}

/** Earliest birth date accepted (rejects zero years and typos like 0990). */
export const EARLIEST_BIRTH_DATE = '1880-01-01';


function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  dt.setUTCFullYear(y); // years below 100 would otherwise map to 19xx
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * 18 characters: 17 digits and the check character (digit or uppercase X); the birth date
 * (characters 7–14) a real date from 1880-01-01 to `today` (YYYY-MM-DD, default: today in Shanghai).
 * The address code is not checked against the list of divisions (codes change over time).
 */
export function isValidResidentId(s: string, today: string = todayInShanghai()): boolean {
  if (typeof s !== 'string' || !/^\d{17}[\dX]$/.test(s)) return false;
  const [y, m, d] = [Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))];
  if (!isRealDate(y, m, d)) return false;
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (birth < EARLIEST_BIRTH_DATE || birth > today) return false;
  return residentIdCheckChar(s.slice(0, 17)) === s[17];
}

// ---------------------------------------------------------------------------
// 统一社会信用代码, GB 32100-2015: 18 characters from 31 symbols (no I, O, S, V, Z),
// check character = 31 − (Σ value × weight mod 31), 31 written 0.

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_PATTERN = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

/** The check character of the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{17}$/.test(first17)) throw new RangeError('expected 17 characters of the GB 32100 set');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** 18 characters of the GB 32100 set (uppercase) with a correct check character. */
export function isValidUscc(s: string): boolean {
  if (typeof s !== 'string' || !USCC_PATTERN.test(s)) return false;
  return usccCheckChar(s.slice(0, 17)) === s[17];
}

// ---------------------------------------------------------------------------

/** Passports and other documents: 1–40 characters, none of them control or separator characters except inner spaces. */
const FREE_ID_MAX = 40;
const FREE_ID_PATTERN = /^[^\p{C}\p{Z}](?:[^\p{C}\p{Zl}\p{Zp}]*[^\p{C}\p{Z}])?$/u;

export type IdValidation = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Normalises what people type: trims, and for resident_id and uscc uppercases (a lowercase x
 * or letter is a common slip, not a different number). Validate the result.
 */
export function normalizeIdNumber(idType: IdType, s: string): string {
  const t = s.trim();
  return idType === 'resident_id' || idType === 'uscc' ? t.toUpperCase() : t;
}

/** Validates an identity number for its type; the message is Chinese, for `details.fields`. */
export function validateIdNumber(idType: IdType, s: string): IdValidation {
  if (typeof s !== 'string' || s.length === 0) return { ok: false, message: '证件号码不能为空' };
  switch (idType) {
    case 'resident_id':
      return isValidResidentId(s) ? { ok: true } : { ok: false, message: '居民身份证号码无效（校验码或出生日期不正确）' };
    case 'uscc':
      return isValidUscc(s) ? { ok: true } : { ok: false, message: '统一社会信用代码无效（格式或校验码不正确）' };
    case 'passport':
    case 'other_personal':
    case 'other_org':
      if ([...s].length > FREE_ID_MAX) return { ok: false, message: `证件号码不能超过${FREE_ID_MAX}个字符` };
      return FREE_ID_PATTERN.test(s) ? { ok: true } : { ok: false, message: '证件号码含有不可打印字符或首尾空格' };
    default:
      return { ok: false, message: '证件类型无效' };
  }
}

// ---------------------------------------------------------------------------
// Masking for display (脱敏). Lengths are kept, counted in characters (code points).

const stars = (n: number): string => '*'.repeat(Math.max(0, n));

/**
 * Keeps the first 3 and last 2 characters, masking the rest: 11010519491231002X → 110*************2X.
 * This hides the birth date and the sequence (whose odd/even digit gives the sex) of a resident
 * identity number. Shorter values: 4–7 characters keep the first and last; 1–3 are fully masked.
 */
export function maskIdNumber(s: string): string {
  const c = [...s];
  const n = c.length;
  if (n >= 8) return c.slice(0, 3).join('') + stars(n - 5) + c.slice(-2).join('');
  if (n >= 4) return c[0] + stars(n - 2) + c[n - 1];
  return stars(n);
}

/**
 * Masks a person's name: 张三 → 张*, 欧阳娜娜 → 欧**娜, 李 → *. The name of an organisation
 * (any `applicantType` other than `natural_person`) is public registration data and is returned
 * unchanged. Surrounding spaces are trimmed.
 */
export function maskName(name: string, applicantType: string = 'natural_person'): string {
  const t = name.trim();
  if (applicantType !== 'natural_person') return t;
  const c = [...t];
  if (c.length <= 1) return stars(c.length);
  if (c.length === 2) return c[0] + '*';
  return c[0] + stars(c.length - 2) + c[c.length - 1];
}

/**
 * Masks a phone number: keeps the first 3 and last 4 characters (13800000000 → 138****0000);
 * 8–10 characters keep the first 2 and last 2; shorter ones keep only the last 2 (fewer: all masked).
 */
export function maskPhone(phone: string): string {
  const c = [...phone.trim()];
  const n = c.length;
  if (n >= 11) return c.slice(0, 3).join('') + stars(n - 7) + c.slice(-4).join('');
  if (n >= 8) return c.slice(0, 2).join('') + stars(n - 4) + c.slice(-2).join('');
  if (n >= 3) return stars(n - 2) + c.slice(-2).join('');
  return stars(n);
}
