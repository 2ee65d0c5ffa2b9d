import type { subDeadlinesOf } from '../cases/case-clock';
import type { CaseEntity } from '../cases/case.entity';
import type { ReminderFacts } from '../statute/reminder-rules';

/** The reminder facts of a case (no personal data). */
export function reminderFacts(c: CaseEntity, sub: ReturnType<typeof subDeadlinesOf>, todayOf: (d: Date) => string): ReminderFacts {
  return {
    caseId: c.id,
    state: c.state,
    dueDate: c.state === 'concluded' || c.state === 'discarded' ? null : c.dueDate,
    submittedOn: c.state === 'submitted' && c.submittedAt ? todayOf(c.submittedAt) : null,
    forwarded: c.forwarded ? { toAgencyId: c.forwarded.toAgencyId, on: c.forwarded.on } : null,
    correctionRequestBy: sub.correctionRequestBy,
    correctionPeriodEnds: sub.correctionPeriodEnds,
    feePaymentEnds: sub.feePaymentEnds,
    consultationsRespondBy: sub.consultationsRespondBy,
    extensionRequestedOn: c.extension?.status === 'requested' && c.state !== 'concluded' ? c.extension.requestedOn : null,
    replyDraftedAt: c.replyDraft?.draftedAt ?? null,
    replyApprovals: c.replyDraft?.approvals.length ?? 0,
  };
}
