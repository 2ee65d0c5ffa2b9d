/**
 * 分办: a portal submission addressed to the wrong agency of the platform (or to none, landing at the
 * top-level office) is forwarded, before receipt is confirmed, to the agency holding the information.
 * Once per case; a confirmed case is answered under Art 36(五) (`unavailable.not_held`) instead.
 */

export interface ForwardFacts {
  readonly fromAgencyId: string;
  readonly toAgencyId: string;
  /** the target is an agency of the platform */
  readonly targetExists: boolean;
  /** the case was forwarded before */
  readonly forwardedBefore: boolean;
}

export type ForwardDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'FORWARD_ALREADY_USED' }
  | { readonly ok: false; readonly code: 'VALIDATION_FAILED'; readonly field: 'agencyId'; readonly message: string };

export function decideForward(f: ForwardFacts): ForwardDecision {
  if (f.forwardedBefore) return { ok: false, code: 'FORWARD_ALREADY_USED' };
  if (f.toAgencyId === f.fromAgencyId) return { ok: false, code: 'VALIDATION_FAILED', field: 'agencyId', message: '不能转送给本机关' };
  if (!f.targetExists) return { ok: false, code: 'VALIDATION_FAILED', field: 'agencyId', message: '转送的机关不存在' };
  return { ok: true };
}

/** What the case keeps of its forward (and the history's payload). */
export interface ForwardRecord {
  readonly fromAgencyId: string;
  readonly toAgencyId: string;
  readonly on: string;
  readonly reason: string;
  readonly by: string;
}
