import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { UsersModule } from '../users/users.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [AgenciesModule, UsersModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
