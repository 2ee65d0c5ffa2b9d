import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditTrail } from './audit-trail';

@Global()
@Module({ providers: [AuditRepository, AuditTrail], exports: [AuditTrail] })
export class AuditModule {}
