import { applyDecorators, Body, Headers, HttpCode, Param, Post, Req, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { ApiOperationOptions } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { IF_MATCH_PATTERN } from '../common/validation/patterns';
import { UuidParam } from '../common/uuid.pipe';
import type { ActionDto } from './dto/action.dto';
import { CaseDto } from './dto/case-response.dto';

/** What an action route's handler receives, in this order: the case id, the body, If-Match, the caller, the request. */
export type ActionArgs<T extends ActionDto> = [id: string, dto: T, ifMatch: string | undefined, user: AuthUser, req: FastifyRequest];

/** `expectedVersion` from the body, else the If-Match header (`3`, `"3"`, `W/"3"`). */
export function versionOf(dto: ActionDto, ifMatch: string | undefined): number {
  if (dto.expectedVersion !== undefined) return dto.expectedVersion;
  // before the case is read: a request without either is malformed whatever the case (400, not 404 or 403)
  if (ifMatch === undefined) throw DomainError.field('expectedVersion', '请提供 expectedVersion（或 If-Match 头）');
  const m = IF_MATCH_PATTERN.exec(ifMatch.trim());
  if (!m) throw DomainError.field('If-Match', 'If-Match 应为案件版本号');
  return Number(m[1]);
}

/** The handler's arguments as the actions service takes them: id, caller, body, expected version, request id. */
export function actionCall<T extends ActionDto>([id, dto, ifMatch, user, req]: ActionArgs<T>): [string, AuthUser, T, number | undefined, string] {
  return [id, user, dto, versionOf(dto, ifMatch), String(req.id)];
}

export interface CaseActionOptions {
  /** the 409 codes the action may answer beside TRANSITION_NOT_ALLOWED and CASE_VERSION_CONFLICT */
  conflicts?: string[];
  /** the whole 409 description, when it says more than the codes */
  conflictText?: string;
  /** the success status (201 for an action that creates a case) */
  status?: number;
  /** the success answer's description */
  successText?: string;
}

/**
 * One action route of the contract's table (api-contract § Actions): `POST /cases/{id}/<path>` with `dto` as its
 * body, the version in the body or If-Match, 200 with the case (or `status`), 409 with the codes it may answer.
 * Who may take the action in which state is the transition table's (`decide`, run by the actions service after the
 * scope check, so a case out of reach stays a 404 whatever the role). The handler is declared as
 * `(...a: ActionArgs<Dto>)`; the parameters and their types (the body's DTO, for validation and the document) are
 * set here.
 */
export function CaseAction(path: string, dto: Type<ActionDto>, operation: string | ApiOperationOptions, options: CaseActionOptions = {}): MethodDecorator {
  const status = options.status ?? 200;
  const conflicts = options.conflictText ?? ['TRANSITION_NOT_ALLOWED', 'CASE_VERSION_CONFLICT', ...(options.conflicts ?? [])].join(', ');
  const parameters: MethodDecorator = (target, key) => {
    // as the compiler records `(id: string, dto: Dto, ifMatch: string | undefined, user: AuthUser, req: FastifyRequest)`
    Reflect.defineMetadata('design:paramtypes', [String, dto, Object, Object, Object], target, key);
    // last to first, as TypeScript applies parameter decorators (the document lists them in that order, reversed)
    Req()(target, key, 4);
    CurrentUser()(target, key, 3);
    Headers('if-match')(target, key, 2);
    Body()(target, key, 1);
    Param('id', UuidParam)(target, key, 0);
  };
  return applyDecorators(
    parameters,
    Post(`:id/${path}`),
    HttpCode(status),
    ApiOperation(typeof operation === 'string' ? { summary: operation } : operation),
    ApiHeader({ name: 'If-Match', required: false, description: '案件版本（可代替 expectedVersion）' }),
    ApiResponse({ status, type: CaseDto, description: options.successText ?? '操作后的案件' }),
    ApiResponse({ status: 409, description: conflicts }),
  );
}
