/**
 * Art 36(六): an application repeating one already answered is answered by referring to the earlier reply.
 * The earlier reply is a case of the system (same applicant, same agency, reply issued), whose number and
 * date the letter cites; only a reply made before the system was in use is given by hand (`beforeSystem`).
 */

/** As the draft names it. */
export interface EarlierReplyInput {
  readonly caseId?: string;
  readonly beforeSystem?: boolean;
  readonly documentNumber?: string;
  readonly date?: string;
}

/** The earlier case as the system holds it. */
export interface EarlierCaseFacts {
  readonly sameApplicant: boolean;
  readonly sameAgency: boolean;
  /** the reply letter issued: its number and date */
  readonly reply: { readonly number: string; readonly date: string } | null;
  /** the earlier case is this case */
  readonly isThisCase: boolean;
}

export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** The shape: either a case of the system, or a reply before it, given by hand. */
export function earlierReplyShapeProblems(e: EarlierReplyInput): Problem[] {
  const out: Problem[] = [];
  if (e.beforeSystem === true) {
    if (e.caseId !== undefined) out.push({ field: 'earlierReply.caseId', message: '系统启用前的答复不填写案件，请填写文号和日期' });
    if (e.documentNumber === undefined) out.push({ field: 'earlierReply.documentNumber', message: '须填写此前答复的文号' });
    if (e.date === undefined) out.push({ field: 'earlierReply.date', message: '须填写此前答复的日期（YYYY-MM-DD）' });
    return out;
  }
  if (e.caseId === undefined) out.push({ field: 'earlierReply.caseId', message: '须指明此前已作出答复的案件（系统启用前的答复请注明 beforeSystem）' });
  if (e.documentNumber !== undefined) out.push({ field: 'earlierReply.documentNumber', message: '文号由系统按此前的答复填写；仅系统启用前的答复可手工填写' });
  if (e.date !== undefined) out.push({ field: 'earlierReply.date', message: '日期由系统按此前的答复填写；仅系统启用前的答复可手工填写' });
  return out;
}

/** The earlier case qualifies: another case of the same applicant at the same agency, with its reply issued. */
export function earlierCaseProblems(f: EarlierCaseFacts | null): Problem[] {
  const field = 'earlierReply.caseId';
  if (!f) return [{ field, message: '此前的案件不存在' }];
  if (f.isThisCase) return [{ field, message: '不能引用本案自身' }];
  if (!f.sameAgency || !f.sameApplicant) return [{ field, message: '此前的案件须为同一申请人向本机关提出的申请' }];
  if (!f.reply) return [{ field, message: '此前的案件尚未作出答复' }];
  return [];
}
