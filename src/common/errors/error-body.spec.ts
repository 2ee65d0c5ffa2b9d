import { createServer, type Socket } from 'node:net';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DatabaseClient, failedToConnect } from '../../infra/database/database-client';
import { databaseUnavailable, toErrorBody } from './error-body';

const withCode = (code: string, message = 'x', more: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...more });
const failed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('databaseUnavailable', () => {
  it.each([
    ['the pool’s wait ran out', new Error('timeout exceeded when trying to connect'), 'database_busy'],
    ['no connection slot left (53300)', failed(withCode('53300')), 'database_busy'],
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432', { syscall: 'connect' }), 'database_unreachable'],
    ['host name unknown', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND db', { syscall: 'getaddrinfo' }), 'database_unreachable'],
    ['cut off while connecting', new Error('Connection terminated unexpectedly'), 'database_unreachable'],
    ['starting up (57P03)', withCode('57P03'), 'database_unreachable'],
    ['reset in use', failed(withCode('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })), 'database_connection_lost'],
    ['ended in use', failed(new Error('Connection terminated unexpectedly')), 'database_connection_lost'],
    ['administrator shutdown in use (57P01)', failed(withCode('57P01')), 'database_connection_lost'],
    ['a connection failure in use (08006)', failed(withCode('08006')), 'database_connection_lost'],
    ['a network error of something else (not a database error)', withCode('ECONNRESET', 'read ECONNRESET', { syscall: 'read' }), null],
    ['a unique violation (23505)', failed(withCode('23505')), null],
    ['a syntax error (42601)', failed(withCode('42601')), null],
    ['any other error', new Error('boom'), null],
    ['not an error', 'boom', null],
  ])('%s', (_name, err, want) => {
    expect(databaseUnavailable(err)).toBe(want);
  });

  it('answers 503 with Retry-After when nothing was done, never a 500, and no internals', () => {
    const { body, known, headers } = toErrorBody(new Error('timeout exceeded when trying to connect'), 'c-1');
    expect(known).toBe(true);
    expect(headers).toEqual({ 'Retry-After': '1' });
    expect(body).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: '系统繁忙，请稍后重试', details: { reason: 'database_busy', retryAfterSeconds: 1 }, correlationId: 'c-1' });
  });

  it('answers a connection lost in use 503 without Retry-After: a COMMIT may have gone through', () => {
    const { body, headers } = toErrorBody(new QueryFailedError('COMMIT', [], withCode('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })), 'c-2');
    expect(headers).toBeUndefined();
    expect(body.statusCode).toBe(503);
    expect(body.details).toEqual({ reason: 'database_connection_lost' });
    expect(body.message).toContain('请先查询结果');
  });

  it('a connection reset while it was being made (marked by DatabaseClient) is unreachable; the same error unmarked is not a database error', async () => {
    // a server that accepts and resets at once, as PostgreSQL's port does for a moment while it shuts down
    const server = createServer((socket: Socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const client = new DatabaseClient({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
      const err = await client.connect().then(
        () => null,
        (e: unknown) => e,
      );
      expect(failedToConnect(err)).toBe(true);
      expect(databaseUnavailable(err)).toBe('database_unreachable');
      expect(databaseUnavailable(Object.assign(new Error((err as Error).message), { code: (err as { code?: string }).code }))).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a statement refused because its connection broke mid-transaction is a connection lost; without a broken connection, a bug (500)', () => {
    expect(databaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBeNull();
    expect(toErrorBody(new QueryRunnerProviderAlreadyReleasedError(), 'c-3').body.statusCode).toBe(500);
    // a pooled connection of this process breaks (its error event, as when PostgreSQL shuts down)
    new DatabaseClient().emit('error', new Error('Connection terminated unexpectedly'));
    expect(databaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe('database_connection_lost');
    const { body, headers } = toErrorBody(new QueryRunnerProviderAlreadyReleasedError(), 'c-4');
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', details: { reason: 'database_connection_lost' } });
    expect(headers).toBeUndefined();
  });
});
