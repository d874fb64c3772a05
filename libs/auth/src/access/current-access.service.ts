import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Pool, PoolClient } from 'pg';
import { type Config, InjectConfig } from '@taskinbox/config';
import { ChannelListener, InjectPool } from '@taskinbox/database';
import type { Role } from '@taskinbox/domain';
import type { Principal } from '../principal';

/** NOTIFY channel: the payload is `user:<id>` (membership, session or password changed) or `api-key:<id>`. */
export const accessChangedChannel = 'taskinbox_access_changed';

/** What a session may do right now, from its row and its membership. */
export interface SessionAccess {
  sessionId: string;
  userId: string;
  orgId: string;
  role: Role;
  expiresAt: Date;
  mustChangePassword: boolean;
  /** Set when the membership is limited to assigned tasks: the assignee keys it sees. */
  assignedTo?: string[];
}

/** Marks, inside an access change, whose access it changes. */
export type Touch = (subject: `user:${string}` | `api-key:${string}`) => void;

interface Watcher {
  principal: Principal;
  onEnd: () => void;
  timer: NodeJS.Timeout;
}

const retryListenMs = 1000;

/**
 * Authorisation from the current membership on every request. A session's access is cached for
 * AUTH_CACHE_MS at most, and only while this process listens for change notices: every change
 * drops it at once here and, through PostgreSQL NOTIFY, within moments on every other process.
 */
@Injectable()
export class CurrentAccess implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CurrentAccess.name);
  private readonly channel: ChannelListener;
  private readonly cache: LRUCache<string, SessionAccess> | null;
  private readonly watchers = new Set<Watcher>();
  private readonly subjectListeners = new Set<(subject: string) => void>();
  // Bumped by every change: a lookup that started before one may not fill the cache.
  private generation = 0;
  private closed = false;

  constructor(
    @InjectPool() private readonly pool: Pool,
    @InjectConfig() config: Config,
  ) {
    this.cache = config.auth.cacheMs > 0 ? new LRUCache({ max: 10_000, ttl: config.auth.cacheMs }) : null;
    this.channel = new ChannelListener({
      databaseUrl: config.databaseUrl,
      channel: accessChangedChannel,
      applicationName: 'taskinbox-access-listener',
      warn: (message) => this.logger.warn(message),
    });
  }

  /** Starts listening before the app serves its first request (a failure retries in the background). */
  onModuleInit(): Promise<void> {
    return this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const watcher of this.watchers) clearTimeout(watcher.timer);
    this.watchers.clear();
    await this.channel.close();
  }

  /** The session's access now, or null when it ended, expired, or its membership is gone or blocked. */
  async ofSession(sessionId: string): Promise<SessionAccess | null> {
    const cached = this.cache?.get(sessionId);
    if (cached) return cached.expiresAt.getTime() > Date.now() ? cached : null;
    const generation = this.generation;
    const access = await this.read(sessionId);
    if (access && this.cache && this.channel.listening && generation === this.generation) this.cache.set(sessionId, access);
    return access;
  }

  /**
   * Runs `work` in a transaction; every subject it touches is announced to all processes when it
   * commits (NOTIFY is transactional) and dropped from this process's cache before this resolves.
   */
  async change<T>(work: (db: PoolClient, touch: Touch) => Promise<T>): Promise<T> {
    const subjects = new Set<string>();
    const client = await this.pool.connect();
    let result: T;
    try {
      await client.query('BEGIN');
      result = await work(client, (subject) => subjects.add(subject));
      for (const subject of subjects) await client.query('SELECT pg_notify($1, $2)', [accessChangedChannel, subject]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    for (const subject of subjects) this.changed(subject);
    return result;
  }

  /**
   * Calls `onEnd` once when this principal's session ends or its access changes (role, blocked,
   * removed, signed out, expired). Open live streams close with it. Returns the function that stops watching.
   */
  watch(principal: Principal, onEnd: () => void): () => void {
    const session = principal.session;
    if (!session) return () => undefined;
    const watcher: Watcher = {
      principal,
      onEnd,
      // Timers are 32-bit: sessions longer than ~24 days are rechecked instead.
      timer: setTimeout(() => void this.recheck(watcher), Math.min(2 ** 31 - 1, Date.parse(session.expiresAt) - Date.now())),
    };
    watcher.timer.unref();
    this.watchers.add(watcher);
    return () => {
      clearTimeout(watcher.timer);
      this.watchers.delete(watcher);
    };
  }

  /** Hears every change subject (e.g. API key revocations), on this process and the others. */
  onChange(listener: (subject: string) => void): void {
    this.subjectListeners.add(listener);
  }

  private changed(subject: string): void {
    this.generation += 1;
    if (subject.startsWith('user:')) {
      const userId = subject.slice('user:'.length);
      if (this.cache) for (const [sessionId, access] of this.cache.entries()) if (access.userId === userId) this.cache.delete(sessionId);
      for (const watcher of this.watchers) if (watcher.principal.actor.id === userId) void this.recheck(watcher);
    }
    for (const listener of this.subjectListeners) listener(subject);
  }

  /** Notices may have been missed: nothing cached can be trusted, every watched session is looked at again. */
  private gap(): void {
    this.generation += 1;
    this.cache?.clear();
    for (const watcher of this.watchers) void this.recheck(watcher);
    for (const listener of this.subjectListeners) listener('*');
  }

  private async recheck(watcher: Watcher): Promise<void> {
    const { principal } = watcher;
    let access: SessionAccess | null;
    try {
      access = await this.read(principal.session!.id);
    } catch {
      access = null; // cannot tell: a stream reconnects and is checked afresh
    }
    if (!this.watchers.has(watcher)) return;
    const same = access !== null && principal.actor.kind === 'user' && access.role === principal.actor.role && !access.mustChangePassword;
    if (same && access!.expiresAt.getTime() > Date.now()) return;
    clearTimeout(watcher.timer);
    this.watchers.delete(watcher);
    watcher.onEnd();
  }

  private async read(sessionId: string): Promise<SessionAccess | null> {
    const { rows } = await this.pool.query(
      `SELECT s.user_id, s.org_id, s.expires_at, m.role, u.must_change_password,
              CASE WHEN m.assigned_only THEN array_cat(ARRAY['user:' || s.user_id, 'legacy:' || u.email],
                ARRAY(SELECT 'group:' || g.id FROM user_group_members gm JOIN user_groups g ON g.id = gm.group_id
                       WHERE gm.user_id = s.user_id AND g.org_id = s.org_id)) END AS assigned_to
         FROM sessions s
         JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id AND m.blocked_at IS NULL
         JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.ended_at IS NULL AND s.expires_at > now()`,
      [sessionId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      sessionId,
      userId: row.user_id,
      orgId: row.org_id,
      role: row.role,
      expiresAt: row.expires_at,
      mustChangePassword: row.must_change_password,
      ...(row.assigned_to ? { assignedTo: row.assigned_to } : {}),
    };
  }

  private async listen(): Promise<void> {
    try {
      await this.channel.subscribe({ notice: (subject) => this.changed(subject), gap: () => this.gap() });
    } catch (error) {
      if (this.closed) return;
      // Until listening, nothing is cached: every request reads the membership.
      this.logger.warn(`LISTEN ${accessChangedChannel} failed, retrying: ${String(error)}`);
      setTimeout(() => void this.listen(), retryListenMs).unref();
    }
  }
}
