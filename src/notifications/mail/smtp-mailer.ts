import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../config/app-config';
import { MailPort, type MailMessage } from './mail.port';

/** nodemailer over SMTP (SMTP_* variables). */
export class SmtpMailer extends MailPort {
  private readonly transport: Transporter;

  constructor(private readonly smtp: SmtpConfig) {
    super();
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
      pool: true,
      maxConnections: 25,
      maxMessages: 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      tls: { rejectUnauthorized: process.env.NODE_ENV === 'production' },
    });
  }

  async send(msg: MailMessage): Promise<{ messageId: string }> {
    const info = await this.transport.sendMail({ from: this.smtp.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, messageId: msg.messageId });
    return { messageId: info.messageId ?? msg.messageId };
  }

  override async close(): Promise<void> {
    this.transport.close();
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
    const info = (await this.transport.sendMail({ from: this.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, messageId: msg.messageId })) as { message: Buffer };
    const name = msg.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
    await writeFile(join(this.dir, `${name}.eml`), info.message);
    if (!this.announced) {
      this.announced = true;
      this.logger.log(`no SMTP_HOST: mail is written to ${resolve(this.dir)}`);
    }
    return { messageId: msg.messageId };
  }
}
