import { todayInShanghai } from './iso-date';
import fc from 'fast-check';
import {
  USCC_CHARSET,
  isValidResidentId,
  isValidUscc,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  residentIdCheckChar,
  usccCheckChar,
  validateIdNumber,
} from './id-number';

const TODAY = '2025-06-30';
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Valid resident IDs: address code, a real birth date up to TODAY, sequence, computed check char. */
const residentIdArb = fc
  .tuple(
    fc.integer({ min: 110000, max: 829999 }),
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([area, birth, seq]) => {
    const first17 = `${area}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${pad(seq, 3)}`;
    return first17 + residentIdCheckChar(first17);
  });

const usccArb = fc
  .array(fc.constantFrom(...USCC_CHARSET), { minLength: 17, maxLength: 17 })
  .map((cs) => cs.join(''))
  .map((first17) => first17 + usccCheckChar(first17));

/** Replace position i with a different character from `charset`. */
const mutate = (s: string, i: number, k: number, charset: string): string => {
  const others = [...charset].filter((c) => c !== s[i]);
  return s.slice(0, i) + others[k % others.length] + s.slice(i + 1);
};

describe('resident identity number (GB 11643-1999)', () => {
  it('accepts known numbers', () => {
    expect(isValidResidentId('11010519491231002X', TODAY)).toBe(true);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(isValidResidentId('110105194912310021', TODAY)).toBe(false);
  });

  it('accepts every generated number with its computed check character', () => {
    fc.assert(fc.property(residentIdArb, (id) => isValidResidentId(id, TODAY)));
  });

  it('refuses any single-character change of the check character or the sequence', () => {
    // ISO 7064 MOD 11-2 detects every single substitution; outside the birth date, a change is
    // always caught by the check character.
    const positions = [0, 1, 2, 3, 4, 5, 14, 15, 16, 17];
    fc.assert(
      fc.property(residentIdArb, fc.constantFrom(...positions), fc.nat(), (id, i, k) => {
        const charset = i === 17 ? '0123456789X' : '0123456789';
        return !isValidResidentId(mutate(id, i, k, charset), TODAY);
      }),
    );
  });

  it('refuses any single-digit change anywhere (date changes fail the check char or the date)', () => {
    fc.assert(
      fc.property(residentIdArb, fc.integer({ min: 0, max: 16 }), fc.nat(), (id, i, k) => {
        return !isValidResidentId(mutate(id, i, k, '0123456789'), TODAY);
      }),
    );
  });

  it('checks the embedded birth date', () => {
    const withBirth = (yyyymmdd: string): string => {
      const first17 = `110105${yyyymmdd}002`;
      return first17 + residentIdCheckChar(first17);
    };
    expect(isValidResidentId(withBirth('20000229'), TODAY)).toBe(true);
    expect(isValidResidentId(withBirth('19000229'), TODAY)).toBe(false); // 1900 is no leap year
    expect(isValidResidentId(withBirth('19990230'), TODAY)).toBe(false);
    expect(isValidResidentId(withBirth('19991301'), TODAY)).toBe(false);
    expect(isValidResidentId(withBirth('19990100'), TODAY)).toBe(false);
    expect(isValidResidentId(withBirth('20250630'), TODAY)).toBe(true);
    expect(isValidResidentId(withBirth('20250701'), TODAY)).toBe(false); // the future
    expect(isValidResidentId(withBirth('18791231'), TODAY)).toBe(false);
    expect(isValidResidentId(withBirth('00990101'), TODAY)).toBe(false);
  });

  it('refuses wrong shapes', () => {
    expect(isValidResidentId('11010519491231002x', TODAY)).toBe(false); // lowercase x
    expect(isValidResidentId('11010519491231002', TODAY)).toBe(false);
    expect(isValidResidentId('11010519491231002X0', TODAY)).toBe(false);
    expect(isValidResidentId(' 11010519491231002X', TODAY)).toBe(false);
    expect(isValidResidentId('1101051949123100X2', TODAY)).toBe(false);
    expect(isValidResidentId('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toBe(false); // full-width
    expect(isValidResidentId('', TODAY)).toBe(false);
    expect(isValidResidentId(undefined as unknown as string, TODAY)).toBe(false);
  });

  it('defaults today to the date in Shanghai', () => {
    expect(todayInShanghai(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(todayInShanghai(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts known codes', () => {
    for (const c of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) {
      expect([c, isValidUscc(c)]).toEqual([c, true]);
    }
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
  });

  it('writes a check value of 31 as 0', () => {
    // Find a prefix whose weighted sum is ≡ 0 (mod 31): 17 zeros.
    expect(usccCheckChar('00000000000000000')).toBe('0');
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it('accepts every generated code with its computed check character', () => {
    fc.assert(fc.property(usccArb, (c) => isValidUscc(c)));
  });

  it('refuses any single-character change (weights are all prime to 31)', () => {
    fc.assert(
      fc.property(usccArb, fc.integer({ min: 0, max: 17 }), fc.nat(), (c, i, k) => {
        return !isValidUscc(mutate(c, i, k, USCC_CHARSET));
      }),
    );
  });

  it('refuses characters outside the set, lowercase and wrong lengths', () => {
    for (const bad of ['I', 'O', 'S', 'V', 'Z', 'a', '-', ' ']) {
      const c = '91350100M000100Y4' + bad;
      expect([c, isValidUscc(c)]).toEqual([c, false]);
      const d = bad + '1350100M000100Y43';
      expect([d, isValidUscc(d)]).toEqual([d, false]);
    }
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    expect(() => usccCheckChar('I0000000000000000')).toThrow(RangeError);
  });
});

describe('validateIdNumber', () => {
  it('checks resident IDs and credit codes by their check characters', () => {
    expect(validateIdNumber('resident_id', '11010519491231002X')).toEqual({ ok: true });
    expect(validateIdNumber('resident_id', '110105194912310021')).toEqual({ ok: false, message: expect.any(String) });
    expect(validateIdNumber('uscc', '91350100M000100Y43')).toEqual({ ok: true });
    expect(validateIdNumber('uscc', '11010519491231002X')).toEqual({ ok: false, message: expect.any(String) });
  });

  it.each([['passport'], ['other_personal'], ['other_org']] as const)('takes 1–40 printable characters for %s', (t) => {
    expect(validateIdNumber(t, 'E12345678')).toEqual({ ok: true });
    expect(validateIdNumber(t, '南字第123456号')).toEqual({ ok: true });
    expect(validateIdNumber(t, 'H 1234 5678')).toEqual({ ok: true });
    expect(validateIdNumber(t, 'x')).toEqual({ ok: true });
    expect(validateIdNumber(t, '字'.repeat(40))).toEqual({ ok: true });
    for (const bad of ['', '字'.repeat(41), ' E123', 'E123 ', 'E12\n3', 'E12\u00003', 'E\u200b123', '   ']) {
      expect([bad, validateIdNumber(t, bad).ok]).toEqual([bad, false]);
    }
  });

  it('gives Chinese messages and refuses an unknown type', () => {
    const r = validateIdNumber('resident_id', '1');
    expect(r.ok || r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(validateIdNumber('driving_licence' as never, 'x').ok).toBe(false);
  });

  it('normalises what people type', () => {
    expect(normalizeIdNumber('resident_id', ' 11010519491231002x ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('uscc', '91350100m000100y43')).toBe('91350100M000100Y43');
    expect(normalizeIdNumber('passport', ' e123 ')).toBe('e123');
  });
});

describe('masking', () => {
  it('masks identity numbers, keeping the first 3 and last 2 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110*************2X');
    expect(maskIdNumber('91350100M000100Y43')).toBe('913*************43');
    expect(maskIdNumber('E1234567')).toBe('E12***67');
    expect(maskIdNumber('E123')).toBe('E**3');
    expect(maskIdNumber('南字第123号')).toBe('南*****号');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });

  it('never shows a resident ID birth date, and keeps the length', () => {
    fc.assert(
      fc.property(residentIdArb, (id) => {
        const m = maskIdNumber(id);
        return m.length === id.length && m.slice(3, 16) === '*'.repeat(13) && m.startsWith(id.slice(0, 3));
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => [...maskIdNumber(s)].length === [...s].length));
  });

  it('masks names of persons, not of organisations', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('李')).toBe('*');
    expect(maskName(' 张三 ')).toBe('张*');
    expect(maskName('')).toBe('');
    expect(maskName('𠀀𠀁')).toBe('𠀀*');
    expect(maskName('张三', 'natural_person')).toBe('张*');
    expect(maskName('盘锦市某某科技有限公司', 'commercial')).toBe('盘锦市某某科技有限公司');
  });

  it('masks phone numbers', () => {
    expect(maskPhone('13800000000')).toBe('138****0000');
    expect(maskPhone('024-12345678')).toBe('024*****5678');
    expect(maskPhone('+8613800000000')).toBe('+86*******0000');
    expect(maskPhone('87654321')).toBe('87****21');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('12')).toBe('**');
  });
});
