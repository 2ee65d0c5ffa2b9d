import { AgencyEntity } from './agencies/agency.entity';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { CalendarYearEntity } from './calendar/calendar-year.entity';
import { AttachmentEntity } from './cases/attachment.entity';
import { CaseHistoryEntity } from './cases/case-history.entity';
import { CaseEntity } from './cases/case.entity';
import { ReviewEntity } from './cases/review.entity';
import { DeadlineRecomputeEntity } from './cases/deadline-recompute.entity';
import { LetterEntity, LetterPdfEntity, LetterReleaseFileEntity, LetterSeriesEntity } from './letters/letter.entity';
import { IdempotencyKeyEntity } from './common/idempotency.entity';
import { RateLimitEntity } from './common/rate-limit/rate-limit.entity';
import { ScheduledActionEntity } from './notifications/scheduled-action.entity';
import { LetterTemplateOverrideEntity } from './letters/templates/letter-template-override.entity';
import { UserEntity } from './users/user.entity';
import { ReportPublicationEntity } from './reports/annual/report-publication.entity';
import { AuditEventEntity } from './audit/audit-event.entity';

/** Every entity, in one list: the DataSource, the CLI and the drift check share it. */
export const ENTITIES = [AgencyEntity, UserEntity, RefreshTokenEntity, RateLimitEntity, CalendarYearEntity, IdempotencyKeyEntity, CaseEntity, CaseHistoryEntity, ReviewEntity, AttachmentEntity, ScheduledActionEntity, LetterEntity, LetterSeriesEntity, DeadlineRecomputeEntity, ReportPublicationEntity, LetterTemplateOverrideEntity, AuditEventEntity, LetterPdfEntity, LetterReleaseFileEntity];
