import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  mails: ParsedMail[];
  /** make the server refuse every message (550) until set back */
  refuse: boolean;
  /** when set, each new connection is held (not answered) and reported here */
  onHold: ((release: (err?: Error) => void) => void) | null;
  /** the server closes every open connection (as one does after its idle timeout) */
  dropConnections(): void;
  /** connections the server accepted so far */
  connectionCount: number;
  /** waits until at least n mails arrived (or throws after timeoutMs) */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server in-process, collecting parsed messages. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { mails: [] as ParsedMail[], refuse: false, onHold: null, connectionCount: 0 } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    onConnect(_session, cb) {
      sink.connectionCount++;
      if (sink.onHold) return sink.onHold((err) => cb(err));
      cb();
    },
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_addr, _session, cb) {
      if (sink.refuse) {
        const err = new Error('mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          sink.mails.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as { port: number }).port;
  sink.waitFor = async (n, timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    while (sink.mails.length < n) {
      if (Date.now() > end) throw new Error(`expected ${n} mails, got ${sink.mails.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return sink.mails;
  };
  sink.dropConnections = () => {
    for (const c of [...(server as unknown as { connections: Set<{ close(): void }> }).connections]) c.close();
  };
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** Polls until `check` returns a truthy value. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
