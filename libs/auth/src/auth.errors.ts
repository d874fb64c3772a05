import type { CodedError } from '@taskinbox/http';

// Refusals of the accounts context; libs/http maps each code to its HTTP status.

export class AccountConflict extends Error implements CodedError {
  readonly code = 'account_conflict';
}

export class PasswordChangeRequired extends Error implements CodedError {
  readonly code = 'password_change_required';
  constructor() {
    super('Change the generated password first: POST /api/auth/password with the current and a new one.');
  }
}

export class SignInThrottled extends Error implements CodedError {
  readonly code = 'sign_in_throttled';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many sign-in attempts: try again in ${retryAfterSeconds} s.`);
  }
}

export class SignInBusy extends Error implements CodedError {
  readonly code = 'sign_in_busy';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('Too many sign-ins at once right now: try again in a moment.');
  }
}

export class MembershipBlocked extends Error implements CodedError {
  readonly code = 'membership_blocked';
  constructor() {
    super('An administrator has blocked your access to this organisation.');
  }
}

export class LastAdmin extends Error implements CodedError {
  readonly code = 'last_admin';
  constructor() {
    super('An organisation keeps at least one admin who is not blocked: make someone else admin first.');
  }
}

export class AccountShared extends Error implements CodedError {
  readonly code = 'account_shared';
  constructor() {
    super(
      "This person's account is also used in another organisation, so only they can change its password " +
        '(or the operator: npm run cli -- user:reset-password).',
    );
  }
}

export class AccountExists extends Error implements CodedError {
  readonly code = 'account_exists';
  constructor() {
    super('This e-mail already has a taskinbox account: choose “I already have an account” and use its password.');
  }
}

export class LinkInvalid extends Error implements CodedError {
  readonly code = 'link_invalid';
  constructor(what: string) {
    super(`This ${what} link is not valid: it was used, withdrawn or has expired. Ask an administrator for a new one.`);
  }
}

export class WrongPassword extends Error implements CodedError {
  readonly code = 'wrong_password';
  constructor() {
    super('The current password is not right.');
  }
}
