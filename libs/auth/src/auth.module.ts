import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccountController } from './accounts/account.controller';
import { AccountService } from './accounts/account.service';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyService } from './api-keys/api-key.service';
import { AuthGuard } from './auth.guard';
import { SessionController } from './sessions/session.controller';
import { SessionService } from './sessions/session.service';

/** Needs ConfigModule and DatabaseModule in the application. Installs the guard globally. */
@Module({
  imports: [JwtModule.register({})],
  controllers: [SessionController, ApiKeyController, AccountController],
  providers: [AccountService, ApiKeyService, SessionService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AccountService, ApiKeyService, SessionService],
})
export class AuthModule {}
