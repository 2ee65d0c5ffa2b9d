import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { UserChanges } from './user-changes';

@Module({
  imports: [AgenciesModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserChanges],
  exports: [UsersRepository, UsersService, UserChanges],
})
export class UsersModule {}
