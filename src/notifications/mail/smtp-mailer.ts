import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { Pool } from 'tarn';
import type { SmtpConfig } from '../../config/app-config';
import { MailPort, type MailMessage } from './mail.port';

/** connections to the SMTP server at most, per process */
const MAX_CONNECTIONS = 25;
/** a connection is closed and replaced after this many messages */
const MAX_MESSAGES = 1000;

interface PooledConnection {
  conn: SMTPConnection;
  alive: boolean;
  messages: number;
}

/**
 * nodemailer over SMTP (SMTP_* variables): messages composed by nodemailer's MailComposer into
 * one buffer and sent over nodemailer's SMTPConnection, kept in a pool of connections (tarn, knex's pool).
 *
 * Why not `createTransport({ pool: true })`: its pool re-streams every message through the MIME
 * tree and several stream pipelines, which was half of a worker's CPU when 100,000 reminders
 * fell due at once (see BENCHMARKS.md). A composed buffer goes out in one write.
 */
export class SmtpMailer extends MailPort {
  private readonly pool: Pool<PooledConnection>;
  private readonly envelopeFrom: string;

  constructor(private readonly smtp: SmtpConfig) {
    super();
    const parsed = addressparser(smtp.from, { flatten: true });
    this.envelopeFrom = parsed[0]?.address || smtp.from;
    this.pool = new Pool<PooledConnection>({
      create: () => this.connect(),
      destroy: (p) => {
        p.alive = false;
        p.conn.close();
      },
      // checked when a connection is handed out: a dead or worn one is destroyed and replaced
      validate: (p) => p.alive && p.messages < MAX_MESSAGES,
      min: 0,
      max: MAX_CONNECTIONS,
      // a server that cannot be reached fails the send at once (BullMQ retries the job)
      propagateCreateError: true,
      createTimeoutMillis: 30_000,
      acquireTimeoutMillis: 60_000,
      idleTimeoutMillis: 30_000,
    });
  }

  private connect(): Promise<PooledConnection> {
    return new Promise((resolve, reject) => {
      const conn = new SMTPConnection({
        host: this.smtp.host,
        port: this.smtp.port,
        secure: this.smtp.secure,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
        tls: { rejectUnauthorized: process.env.NODE_ENV === 'production' },
      });
      const p: PooledConnection = { conn, alive: true, messages: 0 };
      let settled = false;
      const fail = (err: Error) => {
        p.alive = false; // an error later on reaches the send in progress too; the pool drops the connection
        if (settled) return;
        settled = true;
        conn.close();
        reject(err);
      };
      conn.on('error', fail);
      conn.once('end', () => fail(new Error('SMTP connection closed')));
      conn.connect((err) => {
        if (err) return fail(err);
        const ready = (e?: Error | null) => {
          if (e) return fail(e);
          settled = true;
          resolve(p);
        };
        if (this.smtp.user) conn.login({ user: this.smtp.user, pass: this.smtp.pass ?? '' }, ready);
        else ready();
      });
    });
  }

  async send(msg: MailMessage): Promise<{ messageId: string }> {
    const raw = await new MailComposer({ from: this.smtp.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, messageId: msg.messageId, attachments: msg.attachments }).compile().build();
    const p = await this.pool.acquire().promise;
    try {
      await new Promise<void>((resolve, reject) => p.conn.send({ from: this.envelopeFrom, to: msg.to }, raw, (err) => (err ? reject(err) : resolve())));
      p.messages++;
    } catch (err) {
      p.alive = false; // refused or broken: the connection is not handed out again (the job is retried by BullMQ)
      throw err;
    } finally {
      this.pool.release(p);
    }
    return { messageId: msg.messageId };
  }

  override async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** With no SMTP_HOST: each message written as an .eml file under ./var/mail/. */
export class FileMailer extends MailPort {
  private readonly logger = new Logger(FileMailer.name);
  private readonly transport: Transporter;
  private announced = false;

  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(msg: MailMessage): Promise<{ messageId: string }> {
    await mkdir(this.dir, { recursive: true });
    const info = (await this.transport.sendMail({ from: this.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, messageId: msg.messageId, attachments: msg.attachments })) as { message: Buffer };
    const name = msg.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
    await writeFile(join(this.dir, `${name}.eml`), info.message);
    if (!this.announced) {
      this.announced = true;
      this.logger.log(`no SMTP_HOST: mail is written to ${resolve(this.dir)}`);
    }
    return { messageId: msg.messageId };
  }
}
