import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { CurrentAccess } from './access/current-access.service';
import { AccountService } from './accounts/account.service';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyService } from './api-keys/api-key.service';
import { AuthGuard } from './auth.guard';
import { GroupController } from './groups/group.controller';
import { GroupService } from './groups/group.service';
import { InvitationController } from './invitations/invitation.controller';
import { InvitationService } from './invitations/invitation.service';
import { MemberController } from './members/member.controller';
import { MemberService } from './members/member.service';
import { PeopleController } from './people/people.controller';
import { PeopleDirectory } from './people/people.directory';
import { PasswordResetController } from './password-resets/password-reset.controller';
import { PasswordResetService } from './password-resets/password-reset.service';
import { PasswordHasher } from './passwords/password.hasher';
import { SessionController } from './sessions/session.controller';
import { SessionService } from './sessions/session.service';
import { SignInThrottle } from './sessions/sign-in.throttle';

/**
 * Needs ConfigModule and DatabaseModule in the application. Installs the guard globally, and is
 * global itself: whatever serves people (the live stream) can watch their access.
 */
@Global()
@Module({
  imports: [JwtModule.register({})],
  controllers: [SessionController, ApiKeyController, MemberController, GroupController, InvitationController, PasswordResetController, PeopleController],
  providers: [
    CurrentAccess,
    PasswordHasher,
    SignInThrottle,
    InvitationService,
    PasswordResetService,
    AccountService,
    MemberService,
    GroupService,
    ApiKeyService,
    SessionService,
    PeopleDirectory,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [PeopleDirectory, CurrentAccess, AccountService, MemberService, ApiKeyService, SessionService, InvitationService, PasswordResetService],
})
export class AuthModule {}
