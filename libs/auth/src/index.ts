export * from './principal';
export * from './auth.module';
export { AccountConflict, AccountService } from './accounts/account.service';
export { ApiKeyService } from './api-keys/api-key.service';
export { SessionService } from './sessions/session.service';
