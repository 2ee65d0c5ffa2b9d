export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** deterministic per reminder, so a receiving system can drop a duplicate */
  messageId: string;
  /** files sent with the message (a letter's PDF) */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Outgoing mail. Throws when the server did not accept the message. */
export abstract class MailPort {
  abstract send(msg: MailMessage): Promise<{ messageId: string }>;
  async close(): Promise<void> {}
}
