export * from './principal';
export * from './auth.module';
export * from './auth.errors';
export { CurrentAccess } from './access/current-access.service';
export { AccountService } from './accounts/account.service';
export { ApiKeyService } from './api-keys/api-key.service';
export { MemberService } from './members/member.service';
export { PasswordHasher } from './passwords/password.hasher';
export { SessionService } from './sessions/session.service';
