/**
 * Every job name and its payload, in one place. Payloads carry ids only (and the
 * correlation id of the request that caused them): never personal data, which
 * BullMQ stores in clear text.
 */
export const QUEUES = {
  notifications: 'notifications',
  maintenance: 'maintenance',
  letters: 'letters',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** deliver one scheduled action (a reminder, an escalation, a digest) */
  'scheduled-action.run': { actionId: string; attempt: number; correlationId?: string };
  /** recompute the deadlines of open cases after a calendar year was loaded */
  'calendar.recompute-cases': { year: number; runId: string; afterId?: string; correlationId?: string };
  /** delete the audit events older than AUDIT_RETENTION_DAYS (daily, a job scheduler) */
  'audit.purge': Record<string, never>;
  /** render an issued letter's PDF and store it (once) */
  'letter.render': { letterId: string; correlationId?: string };
  /** send an issued, rendered letter to the applicant who chose e-mail (once) */
  'letter.email': { letterId: string; correlationId?: string };
}
export type JobName = keyof JobPayloads;

/** Which queue each job travels on. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'scheduled-action.run': QUEUES.notifications,
  'calendar.recompute-cases': QUEUES.maintenance,
  'audit.purge': QUEUES.maintenance,
  'letter.render': QUEUES.letters,
  'letter.email': QUEUES.letters,
};
