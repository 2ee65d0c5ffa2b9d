import { ERROR_CODES, ErrorCode } from './error-codes';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the client caused or may act on: a stable code, a Chinese message, details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  static validation(fields: FieldProblem[], message?: string): DomainError {
    return new DomainError('VALIDATION_FAILED', message ?? ERROR_CODES.VALIDATION_FAILED.message, { fields });
  }

  static field(field: string, message: string): DomainError {
    return DomainError.validation([{ field, message }], message);
  }

  static notFound(what = '资源'): DomainError {
    return new DomainError('NOT_FOUND', `${what}不存在`);
  }
}
