import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';
import { type Config, InjectConfig } from '@taskinbox/config';
import { ChannelListener, InjectPool } from '@taskinbox/database';
import { InvalidInput } from '@taskinbox/http';
import { decideTaskType, initialTaskTypeState, type TaskTypeEvent } from '../pure/task-type.decider';
import { actionArgs } from '../actions/action.args';
import type { TaskTypeAction, TaskTypeDefinition, TaskTypeVersion } from '../pure/task-type.definition';
import { type PayloadProblem, PayloadSchemas } from '../schema/payload.schemas';
import { InvalidTaskType, TaskActionNotFound, TaskTypeExists, TaskTypeNotFound, TaskTypeVersionConflict, UnknownTaskType } from '../task-types.errors';

export type UnknownTypes = 'accept' | 'refuse';

export interface PublishedTaskType extends TaskTypeVersion {
  publishedAt: string;
}

/** What a task of a type gets when created: the version it was checked against, and the type's defaults. */
export interface TypeCheck {
  typeVersion?: number;
  version?: PublishedTaskType;
}

/** NOTIFY channel: an organisation (the payload is its id) published a task type version or changed its unknown-types setting. */
export const taskTypesChangedChannel = 'taskinbox_task_types_changed';

/** What checking a new task needs of its type: the latest version, else the organisation's unknown-types setting. */
type CheckBasis = { latest: PublishedTaskType } | { latest: undefined; unknownTypes: UnknownTypes };

const uniqueViolation = '23505';
const retryListenMs = 1000;

/**
 * Each organisation's task types: published versions (immutable rows, one per
 * TaskTypeVersionPublished event), payload validation against a task's version, and whether
 * tasks of unregistered types are accepted.
 */
@Injectable()
export class TaskTypeCatalog implements OnModuleInit, OnApplicationShutdown {
  readonly schemas = new PayloadSchemas();
  private readonly logger = new Logger(TaskTypeCatalog.name);
  // Every create checks its type: kept here, the two look-ups were most of a create's queries
  // (tools/bench/ingest.bench.ts). Filled only while this process listens for changes; a change
  // drops its organisation here at once and, through NOTIFY, within moments on every other process.
  private readonly checkBases = new LRUCache<string, CheckBasis>({ max: 10_000 });
  private readonly channel: ChannelListener;
  // Bumped by every change: a look-up that started before one may not fill the cache.
  private generation = 0;
  private closed = false;

  constructor(
    @InjectPool() private readonly pool: Pool,
    @InjectConfig() config: Config,
  ) {
    this.channel = new ChannelListener({
      databaseUrl: config.databaseUrl,
      channel: taskTypesChangedChannel,
      applicationName: 'taskinbox-task-types-listener',
      warn: (message) => this.logger.warn(message),
    });
  }

  /** Starts listening before the app serves its first request (a failure retries in the background). */
  onModuleInit(): Promise<void> {
    return this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.channel.close();
  }

  async publish(orgId: string, key: string, definition: TaskTypeDefinition, by: string, mustBeNew: boolean): Promise<PublishedTaskType> {
    const latest = await this.latestVersionNumber(orgId, key);
    const schemaProblems = [
      ...this.schemas.problemsOf(definition.schema, 'schema'),
      ...definition.actions.flatMap((action, index) => (action.argsSchema ? this.schemas.problemsOf(action.argsSchema, `actions[${index}].argsSchema`) : [])),
    ];
    const decision = decideTaskType(
      { type: 'PublishTaskTypeVersion', key, definition, schemaProblems, mustBeNew, by: { kind: 'user', id: by }, now: new Date().toISOString() },
      { ...initialTaskTypeState(key), version: latest },
    );
    if (!decision.ok) {
      const { rejection } = decision;
      if (rejection.code === 'task_type_exists') throw new TaskTypeExists(rejection.message);
      throw new InvalidTaskType(rejection.message, rejection.problems ?? []);
    }
    const [event] = decision.events;
    await this.append(orgId, event);
    return toPublished(event.data);
  }

  async list(orgId: string): Promise<PublishedTaskType[]> {
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (key) key, version, definition, published_at FROM task_type_versions
        WHERE org_id = $1 ORDER BY key, version DESC`,
      [orgId],
    );
    return rows.map(fromRow);
  }

  async latest(orgId: string, key: string): Promise<PublishedTaskType | undefined> {
    const { rows } = await this.pool.query(
      `SELECT key, version, definition, published_at FROM task_type_versions WHERE org_id = $1 AND key = $2 ORDER BY version DESC LIMIT 1`,
      [orgId, key],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async version(orgId: string, key: string, version: number): Promise<PublishedTaskType> {
    if (!(Number.isInteger(version) && version > 0 && version < 2 ** 31)) throw new TaskTypeNotFound(key, version);
    const { rows } = await this.pool.query(
      `SELECT key, version, definition, published_at FROM task_type_versions WHERE org_id = $1 AND key = $2 AND version = $3`,
      [orgId, key, version],
    );
    if (!rows[0]) throw new TaskTypeNotFound(key, version);
    return fromRow(rows[0]);
  }

  async unknownTypes(orgId: string): Promise<UnknownTypes> {
    const { rows } = await this.pool.query('SELECT unknown_types FROM org_task_settings WHERE org_id = $1', [orgId]);
    return rows[0]?.unknown_types ?? 'accept';
  }

  async setUnknownTypes(orgId: string, value: UnknownTypes): Promise<void> {
    await this.pool.query(
      `WITH saved AS (
         INSERT INTO org_task_settings (org_id, unknown_types) VALUES ($1, $2)
         ON CONFLICT (org_id) DO UPDATE SET unknown_types = EXCLUDED.unknown_types
         RETURNING org_id
       )
       SELECT pg_notify('${taskTypesChangedChannel}', org_id::text) FROM saved`,
      [orgId, value],
    );
    this.changed(orgId);
  }

  /**
   * Checks a new task's payload against the latest version of its type: a 400 naming each
   * failing field (`payload.amount`). An unregistered type passes when the organisation accepts
   * unknown types (the default), else it is refused.
   */
  async check(orgId: string, key: string, payload: Record<string, unknown>): Promise<TypeCheck> {
    const basis = await this.checkBasis(orgId, key);
    if (!basis.latest) {
      if (basis.unknownTypes === 'refuse') throw new UnknownTaskType(key);
      return {};
    }
    this.assertValid(orgId, basis.latest, payload);
    return { typeVersion: basis.latest.version, version: basis.latest };
  }

  private async checkBasis(orgId: string, key: string): Promise<CheckBasis> {
    const cacheKey = `${orgId}\0${key}`;
    const cached = this.checkBases.get(cacheKey);
    if (cached) return cached;
    const generation = this.generation;
    const latest = await this.latest(orgId, key);
    const basis: CheckBasis = latest ? { latest } : { latest: undefined, unknownTypes: await this.unknownTypes(orgId) };
    if (this.channel.listening && generation === this.generation) this.checkBases.set(cacheKey, basis);
    return basis;
  }

  /** A payload against one published version (a task keeps the version it was created with). */
  assertValid(orgId: string, version: TaskTypeVersion, payload: unknown): void {
    refuseProblems(this.schemas.validate(`${orgId}:${version.key}:v${version.version}`, version.schema, payload));
  }

  /**
   * One action of the version a task was created with, and its arguments: argsFrom resolved
   * against the task, then checked against the action's argsSchema (a 400 naming each failing
   * field, `args.amount`). Tasks of unregistered types have no actions.
   */
  async actionOf(
    orgId: string,
    task: { taskType: string; typeVersion?: number; payload: Record<string, unknown> },
    key: string,
    given: Record<string, unknown>,
  ): Promise<{ action: TaskTypeAction; args: Record<string, unknown>; typeVersion: number }> {
    if (task.typeVersion === undefined) throw new TaskActionNotFound(key);
    const version = await this.version(orgId, task.taskType, task.typeVersion);
    const action = version.actions.find((candidate) => candidate.key === key);
    if (!action) throw new TaskActionNotFound(key);
    const { payload, ...fields } = task;
    const args = actionArgs(action.argsFrom, { payload, task: fields }, given);
    if (action.argsSchema) {
      refuseProblems(this.schemas.validate(`${orgId}:${version.key}:v${version.version}:action:${key}`, action.argsSchema, args, 'args'));
    }
    return { action, args, typeVersion: version.version };
  }

  private async latestVersionNumber(orgId: string, key: string): Promise<number> {
    const { rows } = await this.pool.query('SELECT max(version) AS v FROM task_type_versions WHERE org_id = $1 AND key = $2', [orgId, key]);
    return rows[0]?.v ?? 0;
  }

  private async append(orgId: string, event: TaskTypeEvent): Promise<void> {
    const { key, version, publishedBy, publishedAt, ...definition } = event.data;
    try {
      // The notice goes out when the row commits: other processes then check new tasks against it.
      await this.pool.query(
        `WITH published AS (
           INSERT INTO task_type_versions (org_id, key, version, definition, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING org_id
         )
         SELECT pg_notify('${taskTypesChangedChannel}', org_id::text) FROM published`,
        [orgId, key, version, JSON.stringify(definition), JSON.stringify(publishedBy), publishedAt],
      );
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) throw new TaskTypeVersionConflict(key);
      throw error;
    } finally {
      // Also on failure: a conflict means another process published, perhaps unheard yet.
      this.changed(orgId);
    }
  }

  /** Drops what this process remembers of an organisation's types. */
  private changed(orgId: string): void {
    this.generation += 1;
    const prefix = `${orgId}\0`;
    for (const cacheKey of this.checkBases.keys()) if (cacheKey.startsWith(prefix)) this.checkBases.delete(cacheKey);
  }

  /** Notices may have been missed: nothing remembered can be trusted. */
  private gap(): void {
    this.generation += 1;
    this.checkBases.clear();
  }

  private async listen(): Promise<void> {
    try {
      await this.channel.subscribe({ notice: (orgId) => this.changed(orgId), gap: () => this.gap() });
    } catch (error) {
      if (this.closed) return;
      // Until listening, nothing is cached: every create reads its type.
      this.logger.warn(`LISTEN ${taskTypesChangedChannel} failed, retrying: ${String(error)}`);
      setTimeout(() => void this.listen(), retryListenMs).unref();
    }
  }
}

/** A 400 naming each failing field, its problems together. */
function refuseProblems(problems: PayloadProblem[]): void {
  if (problems.length === 0) return;
  const byField = new Map<string, string[]>();
  for (const { field, problem } of problems) byField.set(field, [...(byField.get(field) ?? []), problem]);
  throw new InvalidInput([...byField].map(([field, list]) => ({ field, in: 'body', problems: list })));
}

function fromRow(row: { key: string; version: number; definition: TaskTypeDefinition; published_at: Date }): PublishedTaskType {
  return { key: row.key, version: row.version, ...row.definition, publishedAt: row.published_at.toISOString() };
}

function toPublished(data: TaskTypeEvent['data']): PublishedTaskType {
  const { publishedBy: _by, ...rest } = data;
  return rest;
}
