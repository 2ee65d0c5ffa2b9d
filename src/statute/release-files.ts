import { isOpen, type CaseState } from './case-states';
import type { OutcomeCode } from './outcomes';

/**
 * The information itself goes with the reply (Art 40: the agency provides the information in the form the
 * applicant asked for, or another suitable one). Staff mark the case's files to provide (attachment kind
 * `release`); a reply that grants the information, wholly or in part, lists them and records them as provided
 * with it. Once the reply has gone out, the set it provided never changes.
 */

/** The replies that provide information: granted (36(二)) and partial disclosure (37). */
export const PROVIDING_OUTCOMES = ['granted', 'partial'] as const satisfies readonly OutcomeCode[];

export function providesFiles(outcome: OutcomeCode | null | undefined): boolean {
  return outcome === 'granted' || outcome === 'partial';
}

export type ReleaseChangeProblem = { code: 'RELEASE_FILES_LOCKED' | 'TRANSITION_NOT_ALLOWED'; message: string };

/**
 * Whether the files to provide may be added or changed in this state: only while the case is open and its reply not
 * yet signed off. The files are the information disclosed, so the sign-off's 保密审查 (confidentiality review) covers
 * them as it covers the reply's text: once the reply is approved they are fixed (a supervisor's `return-reply` opens
 * them again, and the reply is signed off anew); a concluded case's reply has gone out with its files (or it ended
 * without one); a discarded submission is no case.
 */
export function releaseChangeProblem(state: CaseState): ReleaseChangeProblem | null {
  if (state === 'reply_approved') {
    return { code: 'RELEASE_FILES_LOCKED', message: '答复已签批（含保密审查），随答复提供的文件不能再更改；如需更改，请负责人先退回答复' };
  }
  if (isOpen(state)) return null;
  if (state === 'discarded') return { code: 'TRANSITION_NOT_ALLOWED', message: '已作废的申请不能提供文件' };
  return { code: 'RELEASE_FILES_LOCKED', message: '本案已办结，随答复提供的文件已随答复发出（或不再答复），不能再增加或更改' };
}

/** How a provided file is named in the reply: its name and its size (字节 → KB/MB, one decimal). */
export function providedFileLine(file: { fileName: string; size: number }): string {
  const kb = file.size / 1024;
  const size = kb < 1024 ? `${Math.max(0.1, Math.round(kb * 10) / 10)} KB` : `${Math.round((kb / 1024) * 10) / 10} MB`;
  return `${file.fileName}（${size}）`;
}
