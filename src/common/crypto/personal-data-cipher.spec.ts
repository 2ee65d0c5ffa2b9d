import fc from 'fast-check';
import { loadConfig } from '../../config/app-config';
import { newQueryCode, PersonalDataCipher } from './personal-data-cipher';

const config = loadConfig({
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEY: 'ab'.repeat(32),
  HASH_KEY: 'cd'.repeat(32),
});

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher(config);

  it('round-trips any text, and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (s) => {
        const sealed = cipher.encrypt(s);
        expect(sealed).not.toContain(s.length > 3 ? s : '\u0000never');
        expect(cipher.decrypt(sealed)).toBe(s);
      }),
    );
  });

  it('uses a fresh IV: the same value encrypts differently', () => {
    expect(cipher.encrypt('11010519491231002X')).not.toBe(cipher.encrypt('11010519491231002X'));
  });

  it('refuses tampered ciphertext', () => {
    const sealed = cipher.encrypt('11010519491231002X');
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[3], 'base64');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow();
  });

  it('hashes deterministically per purpose and compares in constant time', () => {
    const h = cipher.hash('id', 'abc');
    expect(h).toBe(cipher.hash('id', 'abc'));
    expect(h).not.toBe(cipher.hash('query', 'abc'));
    expect(cipher.matches('id', 'abc', h)).toBe(true);
    expect(cipher.matches('id', 'abd', h)).toBe(false);
    expect(cipher.matches('id', 'abc', 'short')).toBe(false);
  });

  it('makes query codes of 12 unambiguous characters', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newQueryCode()));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-KMNP-Z2-9]{12}$/);
  });
});

describe('PersonalDataCipher during a key rotation', () => {
  const env = { JWT_SECRET: 'x'.repeat(40) };
  const oldKeys = new PersonalDataCipher(loadConfig({ ...env, ENCRYPTION_KEY: 'ab'.repeat(32), HASH_KEY: 'cd'.repeat(32) }));
  const newKeys = new PersonalDataCipher(loadConfig({ ...env, ENCRYPTION_KEY: '12'.repeat(32), HASH_KEY: '34'.repeat(32) }));
  const rotating = new PersonalDataCipher(loadConfig({ ...env, ENCRYPTION_KEY: '12'.repeat(32), HASH_KEY: '34'.repeat(32), ENCRYPTION_KEY_OLD: 'ab'.repeat(32), HASH_KEY_OLD: 'cd'.repeat(32) }));

  it('opens values of either key, says which, and seals only with the new one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(rotating.open(oldKeys.encrypt(s))).toEqual({ plain: s, key: 'old' });
        expect(rotating.open(newKeys.encrypt(s))).toEqual({ plain: s, key: 'current' });
        const sealed = rotating.encrypt(s);
        expect(newKeys.decrypt(sealed)).toBe(s);
        expect(() => oldKeys.decrypt(sealed)).toThrow();
        expect(PersonalDataCipher.looksSealed(sealed)).toBe(true);
      }),
      { numRuns: 200 },
    );
    // without the old key an old value does not open
    expect(() => newKeys.decrypt(oldKeys.encrypt('x'))).toThrow();
  });

  it('matches a hash of either key (saying which), hashes only with the new one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (code, other) => {
        expect(rotating.matchesWith('q', code, oldKeys.hash('q', code))).toBe('old');
        expect(rotating.matchesWith('q', code, newKeys.hash('q', code))).toBe('current');
        expect(rotating.hash('q', code)).toBe(newKeys.hash('q', code));
        if (other !== code) expect(rotating.matchesWith('q', other, oldKeys.hash('q', code))).toBeNull();
        expect(newKeys.matches('q', code, oldKeys.hash('q', code))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an old key equal to the current one', () => {
    expect(() => loadConfig({ ...env, ENCRYPTION_KEY: '12'.repeat(32), HASH_KEY: '34'.repeat(32), ENCRYPTION_KEY_OLD: '12'.repeat(32) })).toThrow(/ENCRYPTION_KEY_OLD must differ/);
  });
});
