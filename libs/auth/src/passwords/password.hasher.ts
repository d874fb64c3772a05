import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import { type Config, InjectConfig } from '@taskinbox/config';
import { SignInBusy } from '../auth.errors';

// Waiting hashes beyond this many per running one are refused (503) rather than queued:
// a flood of sign-ins gets a quick answer instead of a growing wait.
const queuedPerSlot = 16;

/**
 * argon2id hashing with bounded concurrency. Each hash takes tens of milliseconds on one of
 * libuv's four pool threads, which file reads and DNS share; at most PASSWORD_HASH_CONCURRENCY
 * run at once, so a flood of sign-ins cannot starve the rest of the process.
 */
@Injectable()
export class PasswordHasher {
  private readonly limit: LimitFunction;
  private readonly maxQueued: number;
  // A valid hash to verify against when the account is unknown, so that costs what a wrong password costs.
  private decoy: Promise<string> | null = null;

  constructor(@InjectConfig() config: Pick<Config, 'auth'>) {
    this.limit = pLimit(config.auth.passwordHashConcurrency);
    this.maxQueued = config.auth.passwordHashConcurrency * queuedPerSlot;
  }

  hash(password: string): Promise<string> {
    return this.run(() => hash(password));
  }

  /** True when `password` matches `stored`; with no stored hash it spends the same time and answers false. */
  async verify(stored: string | null | undefined, password: string): Promise<boolean> {
    const against = stored ?? (await (this.decoy ??= this.hash('decoy password that never matches')));
    const ok = await this.run(() => verify(against, password));
    return ok && Boolean(stored);
  }

  /** Throws SignInBusy (503) at once when no hash could start soon: callers ask before any other work. */
  ensureRoom(): void {
    if (this.limit.pendingCount >= this.maxQueued) throw new SignInBusy();
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.ensureRoom();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.limit(work);
  }
}
