import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor, ExistingTask, Priority, TaskStatus } from '@taskinbox/domain';
import { statusRank } from '@taskinbox/read-models';

// Test fixtures: read-model rows written straight into the tables, as the projector would leave
// them, so query tests depend on nothing but the schema. Timestamps stay strings all the way
// into PostgreSQL so microseconds survive.

export interface TaskSeed {
  orgId: string;
  createdAt: string;
  id?: string;
  type?: string;
  title?: string;
  description?: string;
  status?: TaskStatus;
  processedBy?: string;
  source?: Actor;
  priority?: Priority;
  dueAt?: string;
  tags?: string[];
  assignees?: string[];
  customerRef?: string;
  projectRef?: string;
  private?: boolean;
  externalRef?: string;
  resolution?: string;
  payload?: Record<string, unknown>;
  version?: number;
}

export interface SeededTask extends Required<
  Pick<TaskSeed, 'id' | 'orgId' | 'createdAt' | 'type' | 'title' | 'status' | 'version'>
> {
  statusRank: number;
}

const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export const serviceActor = (id: string): Actor => ({ kind: 'service', id, name: 'sender' });

export async function seedTask(db: DataSource, seed: TaskSeed): Promise<SeededTask> {
  const id = seed.id ?? randomUUID();
  const status = seed.status ?? 'pending';
  const type = seed.type ?? 'refund.approval';
  const title = seed.title ?? `Task ${id.slice(0, 8)}`;
  const version = seed.version ?? 0;
  const source = seed.source ?? serviceActor(randomUUID());
  const claimed = seed.processedBy !== undefined;
  const finishedAt = status === 'completed' || status === 'cancelled' ? seed.createdAt : null;
  const state: ExistingTask = {
    exists: true,
    id,
    orgId: seed.orgId,
    taskType: type,
    status,
    title,
    ...(seed.description === undefined ? {} : { description: seed.description }),
    ...(claimed ? { processedBy: seed.processedBy, processedAt: seed.createdAt } : {}),
    ...(seed.resolution === undefined ? {} : { resolution: seed.resolution }),
    ...(seed.private === undefined ? {} : { private: seed.private }),
    ...(seed.customerRef === undefined ? {} : { customerRef: seed.customerRef }),
    ...(seed.projectRef === undefined ? {} : { projectRef: seed.projectRef }),
    tags: seed.tags ?? [],
    // As evolve reads a sender's strings: ids are people, anything else a legacy label.
    assignees: (seed.assignees ?? []).filter(isUuid).map((id) => ({ kind: 'user' as const, id })),
    ...(seed.assignees?.some((a) => !isUuid(a)) ? { legacyAssignees: seed.assignees.filter((a) => !isUuid(a)) } : {}),
    source,
    payload: seed.payload ?? {},
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
    version: version + 1,
  };
  await db.query(
    `INSERT INTO inbox_tasks (task_id, org_id, task_type, title, description, status, status_rank, processed_by, processed_at,
       source, priority, due_at, tags, assignees, private, external_ref, resolution, created_at, updated_at,
       completed_at, cancelled_at, version, state, customer_ref, project_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19, $20, $21, $22, $23, $24)`,
    [
      id,
      seed.orgId,
      type,
      title,
      seed.description ?? null,
      status,
      statusRank[status],
      seed.processedBy ?? null,
      claimed ? seed.createdAt : null,
      JSON.stringify(source),
      seed.priority ?? null,
      seed.dueAt ?? null,
      seed.tags ?? [],
      (seed.assignees ?? []).map((a) => (isUuid(a) ? `user:${a}` : `legacy:${a}`)),
      seed.private ?? false,
      seed.externalRef ?? null,
      seed.resolution ?? null,
      seed.createdAt,
      status === 'completed' ? finishedAt : null,
      status === 'cancelled' ? finishedAt : null,
      version,
      JSON.stringify(state),
      seed.customerRef ?? null,
      seed.projectRef ?? null,
    ],
  );
  return {
    id,
    orgId: seed.orgId,
    createdAt: seed.createdAt,
    type,
    title,
    status,
    version,
    statusRank: statusRank[status],
  };
}

export async function seedTimeline(
  db: DataSource,
  task: { id: string; orgId: string },
  entries: {
    eventType: string;
    summary: string;
    actor: Actor;
    occurredAt: string;
    details?: Record<string, unknown>;
  }[],
): Promise<void> {
  for (const [revision, entry] of entries.entries()) {
    await db.query(
      `INSERT INTO task_timeline (task_id, revision, org_id, event_id, event_type, actor, occurred_at, summary, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        task.id,
        revision,
        task.orgId,
        randomUUID(),
        entry.eventType,
        JSON.stringify(entry.actor),
        entry.occurredAt,
        entry.summary,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }
}

export interface FactSeed {
  orgId: string;
  createdAt: string;
  type?: string;
  resolvedAt?: string;
  outcome?: 'completed' | 'cancelled';
  resolution?: string;
}

export interface WorkingHours {
  timeZone: string;
  workingDays: number[];
  dayStart: string;
  dayEnd: string;
}

/**
 * A task_facts row; for a resolved task, resolution_seconds is resolved − created and
 * business_seconds comes from the SQL function for `hours` (null without hours).
 */
export async function seedFact(db: DataSource, fact: FactSeed, hours?: WorkingHours): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, resolution_seconds, business_seconds)
     SELECT $1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7,
            extract(epoch FROM $5::timestamptz - $4::timestamptz),
            CASE WHEN $8::text IS NULL OR $5::timestamptz IS NULL THEN NULL
                 ELSE business_seconds($4::timestamptz, $5::timestamptz, $8, $9::smallint[], $10::time, $11::time) END`,
    [
      id,
      fact.orgId,
      fact.type ?? 'refund.approval',
      fact.createdAt,
      fact.resolvedAt ?? null,
      fact.resolvedAt ? (fact.outcome ?? 'completed') : null,
      fact.resolution ?? null,
      hours?.timeZone ?? null,
      hours?.workingDays ?? null,
      hours?.dayStart ?? null,
      hours?.dayEnd ?? null,
    ],
  );
  return id;
}
