import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createRootLogger } from './logging';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, log: createRootLogger('trace', false, sink) };
}

describe('root logger', () => {
  const name = '赵敏';
  const address = '辽宁省盘锦市兴隆台区某街道1号';
  const idNumber = '11010519491231002X';

  it('logs a database error without the values of the row it refused', () => {
    const pgError = Object.assign(new Error('null value in column "due_date" of relation "cases" violates not-null constraint'), {
      code: '23502',
      detail: `Failing row contains (${name}, ${address}, ${idNumber}).`,
      where: `SQL function with ${name}`,
      table: 'cases',
      column: 'due_date',
    });
    const err = new QueryFailedError('INSERT INTO "cases" ("applicant_name", "applicant_address") VALUES ($1, $2)', [name, address, idNumber], pgError);
    const { lines, log } = capture();
    log.error({ err, correlationId: 'c-1' }, 'unhandled error');
    log.warn({ err: new Error('wrapped', { cause: err }) }, 'wrapped');
    const text = lines.join('');
    for (const secret of [name, address, idNumber]) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    const first = JSON.parse(lines[0]) as { err: Record<string, any>; correlationId: string };
    expect(first.correlationId).toBe('c-1');
    expect(first.err).toMatchObject({
      type: 'QueryFailedError',
      message: expect.stringContaining('violates not-null constraint'),
      code: '23502',
      table: 'cases',
      column: 'due_date',
      query: expect.stringContaining('INSERT INTO "cases"'),
      parameters: '[redacted]',
      detail: '[redacted]',
      driverError: { code: '23502', detail: '[redacted]', where: '[redacted]' },
    });
    expect(first.err.stack).toEqual(expect.stringContaining('QueryFailedError'));
  });

  it('passes an error given as a message, or as a plain object, through', () => {
    const { lines, log } = capture();
    log.warn({ err: 'scheduled action x is being sent by another worker' }, 'job failed');
    const plain = { code: 'E1', detail: `Key (name)=(${name})` };
    log.warn({ err: plain }, 'odd error');
    expect(plain.detail).toBe(`Key (name)=(${name})`);
    log.warn({ err: null }, 'nothing');
    expect(JSON.parse(lines[0]).err).toBe('scheduled action x is being sent by another worker');
    expect(JSON.parse(lines[1]).err).toEqual({ code: 'E1', detail: '[redacted]' });
    expect(JSON.parse(lines[2]).err).toBeNull();
  });

  it('redacts personal fields and secrets by path', () => {
    const { lines, log } = capture();
    log.info({ applicant: { name, idNumber }, user: { password: 'p', phone: '13900001111', email: 'a@example.cn', address }, token: 't' }, 'x');
    const text = lines.join('');
    for (const secret of [name, idNumber, '13900001111', 'a@example.cn', address, '"p"']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
  });
});
