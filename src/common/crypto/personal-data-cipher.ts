import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

const VERSION = 'v1';

/**
 * Personal identifiers at rest: AES-256-GCM with ENCRYPTION_KEY (a random 96-bit IV per
 * value, the authentication tag kept), beside an HMAC-SHA-256 with HASH_KEY for exact
 * matching without decrypting. Query codes are stored only as their HMAC.
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
    const [version, iv, tag, ct] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.config.encryptionKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for matching; `purpose` separates the uses of the key (identity, query code…). */
  hash(purpose: string, value: string): string {
    return createHmac('sha256', this.config.hashKey).update(`${purpose}\u0000${value}`).digest('hex');
  }

  /** Constant-time comparison of a candidate against a stored hash. */
  matches(purpose: string, candidate: string, storedHex: string): boolean {
    const a = Buffer.from(this.hash(purpose, candidate), 'hex');
    const b = Buffer.from(storedHex, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
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
