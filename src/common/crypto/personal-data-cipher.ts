import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

const VERSION = 'v1';

/**
 * Personal identifiers at rest: AES-256-GCM with ENCRYPTION_KEY (a random 96-bit IV per
 * value, the authentication tag kept), beside an HMAC-SHA-256 with HASH_KEY for exact
 * matching without decrypting. Query codes are stored only as their HMAC.
 *
 * Key rotation: with ENCRYPTION_KEY_OLD set, a value the current key does not open (GCM's tag tells) is opened
 * with the old one; writing always uses the current key (`npm run rotate-keys` re-seals what is left). With
 * HASH_KEY_OLD set, a candidate also matches a hash made with the old key (query codes cannot be re-hashed
 * without the codes).
 */
@Injectable()
export class PersonalDataCipher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.encryptionKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
  }

  decrypt(sealed: string): string {
    return this.open(sealed).plain;
  }

  /** Opens a sealed value, saying which key opened it (`old`: ENCRYPTION_KEY_OLD, to be re-sealed). */
  open(sealed: string): { plain: string; key: 'current' | 'old' } {
    const [version, iv, tag, ct] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
    try {
      return { plain: openWith(this.config.encryptionKey, iv, tag, ct), key: 'current' };
    } catch (e) {
      if (!this.config.encryptionKeyOld) throw e;
      return { plain: openWith(this.config.encryptionKeyOld, iv, tag, ct), key: 'old' };
    }
  }

  /** Whether a string has the form of a sealed value (the idempotency records carry some inside their JSON). */
  static looksSealed(v: string): boolean {
    return SEALED.test(v);
  }

  /** Keyed hash for matching; `purpose` separates the uses of the key (identity, query code…). */
  hash(purpose: string, value: string): string {
    return hmac(this.config.hashKey, purpose, value);
  }

  /** Constant-time comparison of a candidate against a stored hash, made with HASH_KEY or else HASH_KEY_OLD. */
  matches(purpose: string, candidate: string, storedHex: string): boolean {
    return this.matchesWith(purpose, candidate, storedHex) !== null;
  }

  /** As `matches`, saying which key made the stored hash (both are always computed: timing tells nothing). */
  matchesWith(purpose: string, candidate: string, storedHex: string): 'current' | 'old' | null {
    const b = Buffer.from(storedHex, 'hex');
    const same = (key: Buffer) => {
      const a = Buffer.from(hmac(key, purpose, candidate), 'hex');
      return a.length === b.length && timingSafeEqual(a, b);
    };
    const current = same(this.config.hashKey);
    const old = this.config.hashKeyOld ? same(this.config.hashKeyOld) : false;
    return current ? 'current' : old ? 'old' : null;
  }
}

const SEALED = /^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]*={0,2}$/;

function openWith(key: Buffer, iv: string, tag: string, ct: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}

function hmac(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('hex');
}

/** Query codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
const QUERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newQueryCode(length = 12): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    // rejection sampling keeps the distribution uniform
    if (bytes[i] < 248) out += QUERY_ALPHABET[bytes[i] % QUERY_ALPHABET.length];
  }
  return out.length === length ? out : newQueryCode(length);
}
