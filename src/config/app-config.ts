/**
 * Configuration: read once at boot from the environment into a typed, frozen object.
 * Every problem is collected and reported at once; development secrets are refused
 * in production. Names and defaults are fixed by the API contract (configuration table).
 */
import { existsSync } from 'node:fs';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
}

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** PostgreSQL URL; null → embedded PostgreSQL under ./var/ */
  databaseUrl: string | null;
  /** read replica for reports and the deadline board; null → the primary */
  databaseReplicaUrl: string | null;
  /** Redis URL for BullMQ; null → BullMQ's PostgreSQL backend */
  redisUrl: string | null;
  /** run the queue workers inside the API process */
  workers: boolean;
  demoData: boolean;
  migrateOnStart: boolean;
  admin: { username: string; password: string } | null;
  jwtSecret: string;
  /** 32-byte key for AES-256-GCM (identity numbers at rest) */
  encryptionKey: Buffer;
  /** key for HMAC-SHA-256 (identity matching, query codes) */
  hashKey: Buffer;
  /** the previous ENCRYPTION_KEY during a key rotation (ENCRYPTION_KEY_OLD): read, never written; null outside a rotation */
  encryptionKeyOld: Buffer | null;
  /** the previous HASH_KEY (HASH_KEY_OLD): query codes hashed with it still match; null when none */
  hashKeyOld: Buffer | null;
  smtp: SmtpConfig | null;
  /** sender address (SMTP_FROM), also for mail written to files */
  mailFrom: string;
  /** where mail goes as files when no SMTP host is configured */
  mailDir: string;
  /** data directory for the embedded database, files, mail */
  varDir: string;
  corsOrigins: string[] | true;
  /** behind a load balancer: take the client address from X-Forwarded-For (rate limits per address) */
  trustProxy: boolean;
  /** the API's own public base URL, for its absolute links (the portal's letter downloads) */
  publicUrl: string;
  /** the staff front-end's base URL (STAFF_URL); null → reminder and digest mails carry no link, only the tracking number */
  staffUrl: string | null;
  /** path of a case in the staff front-end, `{id}` replaced by the case id (STAFF_CASE_PATH, default /cases/{id}) */
  staffCasePath: string;
  /** path of the deadline board in the staff front-end (STAFF_BOARD_PATH, default /deadlines) */
  staffBoardPath: string;
  /** BullMQ key prefix (Redis), or the schema's suffix (PostgreSQL backend: schema `bullmq_<prefix>`) */
  queuePrefix: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: string;
  /** PostgreSQL connections per process; a worker sending mail holds one per message in flight */
  databasePoolSize: number;
  /** BullMQ retry: attempts and the first backoff delay (exponential) */
  jobAttempts: number;
  jobBackoffMs: number;
  bullBoard: { username: string; password: string } | null;
  /** licensed letter faces (仿宋 body, 小标宋 title): TrueType/OpenType files; null → the Noto defaults */
  letterFonts: { body: string | null; title: string | null };
  /** bearer token of GET /metrics (METRICS_TOKEN); null → no /metrics route */
  metricsToken: string | null;
  /** days the audit trail keeps an event (AUDIT_RETENTION_DAYS, at least the legal 184) */
  auditRetentionDays: number;
  /**
   * the files provided with a reply go with its mail when together at most this many bytes (RELEASE_MAIL_MAX_BYTES,
   * default 10 MiB; 0: never attached); otherwise the mail gives their portal links
   */
  releaseMailMaxBytes: number;
}

/** Development values shipped in .env.example; refused when NODE_ENV=production. */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'dev-jwt-secret-change-me-0123456789abcdef',
  ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  HASH_KEY: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 (configuration invalid):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function parseKey(name: string, raw: string | undefined, problems: string[]): Buffer {
  if (!raw) {
    problems.push(`${name} is required (64 hex characters or base64 of 32 bytes)`);
    return Buffer.alloc(32);
  }
  let buf: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) buf = Buffer.from(raw, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(raw)) buf = Buffer.from(raw, 'base64');
  if (!buf || buf.length !== 32) {
    problems.push(`${name} must be 32 bytes: 64 hex characters or base64`);
    return Buffer.alloc(32);
  }
  return buf;
}

function parseBool(name: string, raw: string | undefined, dflt: boolean, problems: string[], words = ['on', 'off']): boolean {
  if (raw === undefined || raw === '') return dflt;
  const v = raw.toLowerCase();
  if (v === words[0] || v === 'true' || v === '1') return true;
  if (v === words[1] || v === 'false' || v === '0') return false;
  problems.push(`${name} must be ${words.join(' or ')} (got "${raw}")`);
  return dflt;
}

function parseUrl(name: string, raw: string | undefined, protocols: string[], problems: string[]): string | null {
  if (raw === undefined || raw === '') return null;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) {
      problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
      return null;
    }
    return raw;
  } catch {
    problems.push(`${name} is not a valid URL`);
    return null;
  }
}

function parseInt10(name: string, raw: string | undefined, dflt: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return dflt;
  }
  return Number(raw);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const port = parseInt10('PORT', env.PORT, 3000, 0, 65535, problems);
  const databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'], problems);
  const databaseReplicaUrl = parseUrl('DATABASE_REPLICA_URL', env.DATABASE_REPLICA_URL, ['postgres:', 'postgresql:'], problems);
  const redisUrl = parseUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:'], problems);
  const workers = parseBool('WORKERS', env.WORKERS, true, problems);
  const demoData = parseBool('DEMO_DATA', env.DEMO_DATA, !production, problems);
  const migrateOnStart = parseBool('MIGRATE_ON_START', env.MIGRATE_ON_START, true, problems);
  if (production && demoData) problems.push('DEMO_DATA=on is not allowed when NODE_ENV=production');

  let admin: AppConfig['admin'] = null;
  if (env.ADMIN_USERNAME || env.ADMIN_PASSWORD) {
    if (!env.ADMIN_USERNAME) problems.push('ADMIN_USERNAME is required when ADMIN_PASSWORD is set');
    if (!env.ADMIN_PASSWORD) problems.push('ADMIN_PASSWORD is required when ADMIN_USERNAME is set');
    else if (env.ADMIN_PASSWORD.length < 8) problems.push('ADMIN_PASSWORD must have at least 8 characters');
    if (env.ADMIN_USERNAME && env.ADMIN_PASSWORD) admin = { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD };
  }

  const jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) problems.push('JWT_SECRET is required');
  else if (jwtSecret.length < 32) problems.push('JWT_SECRET must have at least 32 characters');
  const encryptionKey = parseKey('ENCRYPTION_KEY', env.ENCRYPTION_KEY, problems);
  const hashKey = parseKey('HASH_KEY', env.HASH_KEY, problems);
  const encryptionKeyOld = env.ENCRYPTION_KEY_OLD ? parseKey('ENCRYPTION_KEY_OLD', env.ENCRYPTION_KEY_OLD, problems) : null;
  const hashKeyOld = env.HASH_KEY_OLD ? parseKey('HASH_KEY_OLD', env.HASH_KEY_OLD, problems) : null;
  if (encryptionKeyOld?.equals(encryptionKey)) problems.push('ENCRYPTION_KEY_OLD must differ from ENCRYPTION_KEY');
  if (hashKeyOld?.equals(hashKey)) problems.push('HASH_KEY_OLD must differ from HASH_KEY');
  if (production) {
    for (const [name, value] of Object.entries(DEVELOPMENT_SECRETS)) {
      if (env[name] === value) problems.push(`${name} holds the development value from .env.example, refused when NODE_ENV=production`);
    }
  }

  let smtp: SmtpConfig | null = null;
  if (env.SMTP_HOST) {
    smtp = {
      host: env.SMTP_HOST,
      port: parseInt10('SMTP_PORT', env.SMTP_PORT, 587, 1, 65535, problems),
      secure: parseBool('SMTP_SECURE', env.SMTP_SECURE, false, problems, ['true', 'false']),
      user: env.SMTP_USER || undefined,
      pass: env.SMTP_PASS || undefined,
      from: env.SMTP_FROM || 'noreply@localhost',
    };
    if (smtp.user && !smtp.pass) problems.push('SMTP_PASS is required when SMTP_USER is set');
  }

  const varDir = env.VAR_DIR || 'var';
  const cors = env.CORS_ORIGINS;
  const corsOrigins: string[] | true = !cors ? (production ? [] : true) : cors.split(',').map((s) => s.trim()).filter(Boolean);
  const queuePrefix = env.QUEUE_PREFIX || 'gi';
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(queuePrefix)) problems.push('QUEUE_PREFIX must be lower-case letters, digits or _');

  let bullBoard: AppConfig['bullBoard'] = null;
  if (env.BULL_BOARD_USERNAME && env.BULL_BOARD_PASSWORD) bullBoard = { username: env.BULL_BOARD_USERNAME, password: env.BULL_BOARD_PASSWORD };

  const accessTokenTtlSeconds = parseInt10('ACCESS_TOKEN_TTL', env.ACCESS_TOKEN_TTL, 900, 5, 86400, problems);
  const refreshTokenTtlSeconds = parseInt10('REFRESH_TOKEN_TTL', env.REFRESH_TOKEN_TTL, 14 * 86400, 60, 90 * 86400, problems);
  const trustProxy = parseBool('TRUST_PROXY', env.TRUST_PROXY, false, problems);
  const databasePoolSize = parseInt10('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 20, 2, 500, problems);
  const jobAttempts = parseInt10('JOB_ATTEMPTS', env.JOB_ATTEMPTS, 5, 1, 50, problems);
  const jobBackoffMs = parseInt10('JOB_BACKOFF_MS', env.JOB_BACKOFF_MS, 2000, 1, 3_600_000, problems);
  const letterFonts = { body: env.LETTER_FONT_PATH || null, title: env.LETTER_TITLE_FONT_PATH || null };
  for (const [name, path] of [['LETTER_FONT_PATH', letterFonts.body], ['LETTER_TITLE_FONT_PATH', letterFonts.title]] as const) {
    if (path && !existsSync(path)) problems.push(`${name}: no such file (${path})`);
  }
  const staffUrl = parseUrl('STAFF_URL', env.STAFF_URL, ['http:', 'https:'], problems)?.replace(/\/+$/, '') ?? null;
  const staffCasePath = env.STAFF_CASE_PATH || '/cases/{id}';
  const staffBoardPath = env.STAFF_BOARD_PATH || '/deadlines';
  if (!staffCasePath.startsWith('/') || !staffCasePath.includes('{id}')) problems.push('STAFF_CASE_PATH must start with / and contain {id}');
  if (!staffBoardPath.startsWith('/')) problems.push('STAFF_BOARD_PATH must start with /');
  const auditRetentionDays = parseInt10('AUDIT_RETENTION_DAYS', env.AUDIT_RETENTION_DAYS, 184, 184, 36_500, problems);
  const releaseMailMaxBytes = parseInt10('RELEASE_MAIL_MAX_BYTES', env.RELEASE_MAIL_MAX_BYTES, 10 * 1024 * 1024, 0, 50 * 1024 * 1024, problems);
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && (metricsToken.length < 16 || /\s/.test(metricsToken))) problems.push('METRICS_TOKEN must have at least 16 characters and no spaces');
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv,
    production,
    port,
    databaseUrl,
    databaseReplicaUrl,
    redisUrl,
    workers,
    demoData,
    migrateOnStart,
    admin,
    jwtSecret,
    encryptionKey,
    hashKey,
    encryptionKeyOld,
    hashKeyOld,
    smtp,
    mailFrom: env.SMTP_FROM || 'noreply@localhost',
    mailDir: `${varDir}/mail`,
    varDir,
    corsOrigins,
    trustProxy,
    publicUrl: env.PUBLIC_URL || `http://localhost:${port}`,
    staffUrl,
    staffCasePath,
    staffBoardPath,
    queuePrefix,
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    databasePoolSize,
    jobAttempts,
    jobBackoffMs,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    bullBoard,
    letterFonts,
    metricsToken,
    auditRetentionDays,
    releaseMailMaxBytes,
  });
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** The staff front-end's link to a case (or, without one, to the deadline board); null when STAFF_URL is unset. */
export function staffLink(config: Pick<AppConfig, 'staffUrl' | 'staffCasePath' | 'staffBoardPath'>, caseId?: string): string | null {
  if (!config.staffUrl) return null;
  return config.staffUrl + (caseId ? config.staffCasePath.replaceAll('{id}', encodeURIComponent(caseId)) : config.staffBoardPath);
}
