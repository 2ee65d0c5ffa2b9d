import { QueryFailedError } from 'typeorm';
import { databaseUnavailable, toErrorBody } from './error-body';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseUnavailable', () => {
  it.each([
    ['the pool’s wait ran out', new Error('timeout exceeded when trying to connect'), 'busy'],
    ['connection refused', pgError('ECONNREFUSED'), 'unreachable'],
    ['connection reset', pgError('ECONNRESET'), 'unreachable'],
    ['the server went away', new Error('Connection terminated unexpectedly'), 'unreachable'],
    ['too many connections (53300)', pgError('53300'), 'busy'],
    ['administrator shutdown (57P01)', pgError('57P01'), 'unreachable'],
    ['starting up (57P03)', pgError('57P03'), 'unreachable'],
    ['a connection failure (08006)', pgError('08006'), 'unreachable'],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01')), 'unreachable'],
    ['a unique violation (23505)', pgError('23505'), null],
    ['a syntax error (42601)', pgError('42601'), null],
    ['any other error', new Error('boom'), null],
    ['not an error', 'boom', null],
  ])('%s', (_name, err, want) => {
    expect(databaseUnavailable(err)).toBe(want);
  });

  it('answers 503 with Retry-After, never a 500, and no internals', () => {
    const { body, known, headers } = toErrorBody(new QueryFailedError('SELECT secret FROM t WHERE id = $1', ['110105194912310025'], new Error('timeout exceeded when trying to connect')), 'c-1');
    expect(known).toBe(true);
    expect(headers).toEqual({ 'Retry-After': '1' });
    expect(body).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: '系统繁忙，请稍后重试', details: { database: 'busy', retryAfterSeconds: 1 }, correlationId: 'c-1' });
  });
});
