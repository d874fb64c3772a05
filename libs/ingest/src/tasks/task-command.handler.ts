import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { actorRef, type AssigneeInput, PeopleDirectory, type Principal } from '@taskinbox/auth';
import {
  assigneeKeys,
  type ExistingTask,
  type Task,
  type TaskCommand,
  type TaskEvent,
  TASK_STATE_VERSION,
  TaskNotFound,
  decide,
  evolve,
  initialState,
  isInAssignedScope,
  isVisibleTo,
  taskStreamName,
} from '@taskinbox/domain';
import {
  type EventStore,
  type ExpectedRevision,
  InjectEventStore,
  type RecordedEvent,
  SnapshotStore,
  WrongExpectedRevisionError,
} from '@taskinbox/event-store';
import { RejectedCommand } from '@taskinbox/http';
import { addDuration, TaskTypeCatalog } from '@taskinbox/task-types';
import { PayloadRedactor } from './payload.redactor';
import type { TaskChange } from './task-change.command';
import type { TaskCommandSpec } from './task-command.table';
import { toTaskView, type TaskView } from './task.view';

type CreateData = Extract<TaskCommand, { type: 'CreateTask' }>['data'];

/** What callers give to create a task: assignees as they name them, resolved here. */
export type CreateInput = Omit<CreateData, 'taskId' | 'orgId' | 'assignees' | 'typeVersion'> & {
  assignees?: AssigneeInput[];
  /** Due this long (ISO 8601 duration) after creation, unless dueAt is given; else the type's default offset. */
  dueOffset?: string;
};

export interface CommandOutcome {
  task: ExistingTask;
  /** Revision of the task's stream after the command (0-based); read models may wait for it. */
  version: number;
  /** True when a retried create found the task it made the first time. */
  replayed: boolean;
}

export interface ExecuteOptions {
  /** Derives the events' ids: the same seed appends once, however often it is run. */
  idSeed?: string;
  /** Added to each event's metadata (e.g. the inbound source and message it came from). */
  metadata?: Record<string, unknown>;
}

export class IdempotencyKeyReused extends Error {
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with a different request body.');
  }
}

const maxAttempts = 20;
/** Events read past a task's snapshot before a newer one is written: bounds what any later load reads. */
const snapshotAfter = 50;

/**
 * Runs commands against a task: load its stream, decide, append at the revision that was
 * read. When another writer got there first the append fails and the command is decided
 * again on fresh state, so exactly one of many concurrent claims wins.
 */
@Injectable()
export class TaskCommandHandler {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly snapshots: SnapshotStore,
    private readonly people: PeopleDirectory,
    private readonly types: TaskTypeCatalog,
    private readonly redactor: PayloadRedactor,
  ) {}

  /**
   * Creates a task: assignees resolved against the organisation, the payload checked against the
   * latest version of its type (recorded as typeVersion), the type's defaults filled in. `then`
   * are changes decided on the new task and appended with it in one write (a template's hold
   * and files), so the task never exists without them.
   */
  async create(
    principal: Principal,
    input: CreateInput,
    correlationId: string,
    idempotencyKey?: string,
    then: TaskChange[] = [],
  ): Promise<CommandOutcome> {
    // The request as sent is what an idempotent retry must repeat; what it resolves to may change.
    const requestHash = idempotencyKey === undefined ? undefined : createHash('sha256').update(canonicalJson(input)).digest('hex');
    const { assignees, dueOffset, ...details } = input;
    const now = new Date().toISOString();
    const { typeVersion, version } = await this.types.check(principal.orgId, details.taskType, details.payload);
    const defaults = version?.defaults ?? {};
    const data: Omit<CreateData, 'taskId' | 'orgId'> = {
      ...details,
      ...(details.priority === undefined && defaults.priority ? { priority: defaults.priority } : {}),
      ...(details.tags === undefined && defaults.tags?.length ? { tags: [...defaults.tags] } : {}),
      ...(details.dueAt === undefined && (dueOffset ?? defaults.dueOffset) ? { dueAt: addDuration(now, (dueOffset ?? defaults.dueOffset)!) } : {}),
      ...(typeVersion === undefined ? {} : { typeVersion }),
      ...(assignees && assignees.length > 0 ? { assignees: await this.people.resolve(principal.orgId, assignees) } : {}),
    };
    const taskId = idempotencyKey === undefined ? uuidv7() : keyedTaskId(principal, idempotencyKey);
    const command: TaskCommand = {
      type: 'CreateTask',
      data: { ...data, taskId, orgId: principal.orgId, ...(idempotencyKey ? { idempotencyKey } : {}) },
      by: principal.actor,
      now,
    };
    const result = decide(command, initialState());
    if (!result.ok) throw new RejectedCommand(result.rejection);
    const events = [...result.events];
    for (const change of then) {
      const task = fold(initialState(), events) as ExistingTask;
      const next = decide(change(task, principal.actor, now), task);
      if (!next.ok) throw new RejectedCommand(next.rejection);
      events.push(...next.events);
    }
    try {
      await this.append(taskId, events, 'no_stream', principal, correlationId, requestHash ? { requestHash } : {});
      return { task: fold(initialState(), events) as ExistingTask, version: events.length - 1, replayed: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || requestHash === undefined) throw error;
      // The key's task exists: an earlier request with this key created it. The same body gets
      // that task back and appends nothing; another body is a mistake the caller must hear of.
      const [created] = await this.store.readStream(taskStreamName(taskId), { maxCount: 1 });
      if (created?.metadata.requestHash !== requestHash) throw new IdempotencyKeyReused();
      const { task, version } = await this.load(principal, taskId);
      return { task, version, replayed: true };
    }
  }

  /** Builds one command of the table from its body and runs it (see execute). */
  async run<Body>(
    principal: Principal,
    taskId: string,
    spec: TaskCommandSpec<Body>,
    body: Body,
    correlationId: string,
    options: ExecuteOptions = {},
  ): Promise<CommandOutcome> {
    const change = await spec.build(body, {
      principal,
      people: this.people,
      types: this.types,
      task: async () => (await this.load(principal, taskId)).task,
    });
    return this.execute(principal, taskId, change, correlationId, options);
  }

  /** The task as the caller sees it, assignees named. */
  async view(outcome: Pick<CommandOutcome, 'task' | 'version'>, principal: Principal): Promise<TaskView> {
    const assignees = await this.people.name(principal.orgId, outcome.task.assignees ?? []);
    return toTaskView(outcome, principal.actor, assignees);
  }

  /**
   * Decides `change` on the current task and appends its events; retried on concurrent writes.
   * With `idSeed` the events' ids derive from it, so appending for the same seed again (a
   * delivery retried after a crash) finds the first append instead of writing twice.
   */
  async execute(
    principal: Principal,
    taskId: string,
    change: TaskChange,
    correlationId: string,
    options: ExecuteOptions = {},
  ): Promise<CommandOutcome> {
    for (let attempt = 1; ; attempt++) {
      // Deleted tasks too: the decider refuses every command on them but erasing the payload.
      const { task, version } = await this.load(principal, taskId, { deleted: true });
      const command = change(task, principal.actor, new Date().toISOString());
      const result = decide(command, task);
      if (!result.ok) throw new RejectedCommand(result.rejection);
      let outcome: CommandOutcome = { task, version, replayed: false };
      if (result.events.length > 0) {
        try {
          const ids = options.idSeed === undefined ? undefined : result.events.map((_, index) => nameBasedUuid(`${options.idSeed}\0${index}`));
          await this.append(taskId, result.events, BigInt(version), principal, correlationId, options.metadata, ids);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
          continue;
        }
        outcome = { task: fold(task, result.events) as ExistingTask, version: version + result.events.length, replayed: false };
      }
      // Also when the erasure was recorded before: a crash may have come between it and the redaction.
      if (command.type === 'EraseTaskPayload') await this.redactor.redact(taskId);
      return outcome;
    }
  }

  /** The task as its own stream says, only within the caller's organisation. */
  async load(principal: Principal, taskId: string, include: { deleted?: boolean } = {}): Promise<{ task: ExistingTask; version: number }> {
    const { task, version } = await this.fold(taskId);
    // Another organisation's task, a private task of another sender, a task outside an
    // assigned-only member's scope and a deleted task answer exactly like a missing one.
    if (
      !task.exists ||
      task.orgId !== principal.orgId ||
      !isVisibleTo(task, principal.actor) ||
      !isInAssignedScope(assigneeKeys(task), principal.assignedTo) ||
      (task.deleted && !include.deleted)
    ) {
      throw new RejectedCommand(new TaskNotFound());
    }
    return { task, version };
  }

  /**
   * The task folded from its snapshot and the events after it, so a task with thousands of
   * comments costs about what a new one does. `version` is the stream's last revision (-1: none).
   */
  private async fold(taskId: string): Promise<{ task: Task; version: number }> {
    const stream = taskStreamName(taskId);
    const snapshot = await this.snapshots.read<ExistingTask>(stream, TASK_STATE_VERSION);
    const after = await this.store.readStream(stream, { fromRevision: snapshot ? snapshot.revision + 1n : 0n });
    const task = fold(snapshot?.state ?? initialState(), after.map(asTaskEvent));
    const version = Number(snapshot?.revision ?? -1n) + after.length;
    if (after.length >= snapshotAfter && task.exists) {
      await this.snapshots.write(stream, TASK_STATE_VERSION, { state: task, revision: BigInt(version) });
    }
    return { task, version };
  }

  private async append(
    taskId: string,
    events: TaskEvent[],
    expectedRevision: ExpectedRevision,
    principal: Principal,
    correlationId: string,
    extraMetadata: Record<string, unknown> = {},
    ids?: string[],
  ): Promise<void> {
    await this.store.appendToStream(
      taskStreamName(taskId),
      events.map((event, index) => ({
        id: ids?.[index] ?? uuidv7(),
        type: event.type,
        data: event.data,
        metadata: { orgId: principal.orgId, actor: actorRef(principal.actor), correlationId, ...extraMetadata },
      })),
      { expectedRevision },
    );
  }
}

/**
 * The id of the task an Idempotency-Key creates, derived from the key (per organisation and
 * caller): the key is bound to its task by the task's own first event, in one append, so no
 * reservation can outlive a failed create or point at a task that was never written. A name-
 * based UUID (version 8, from SHA-256; RFC 9562), where unkeyed tasks get a UUIDv7.
 */
function keyedTaskId(principal: Principal, key: string): string {
  return nameBasedUuid(`${principal.orgId}\0${actorRef(principal.actor)}\0${key}`);
}

/** A name-based UUID (version 8, from SHA-256; RFC 9562): the same name, the same id. */
function nameBasedUuid(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x80;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with object keys sorted, so a retry whose body lists fields in another order still matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const asTaskEvent = (event: RecordedEvent): TaskEvent => ({ type: event.type, data: event.data }) as TaskEvent;
const fold = (task: Task, events: TaskEvent[]): Task => events.reduce(evolve, task);
