import type { QueryResult, QueryResultRow } from 'pg';
import { defaultCalendar } from '@taskinbox/read-models';
import { type ProjectedRows, type StoredTask, factColumns, inboxColumns, timelineColumns } from './read-model.rows';

/** The one thing the projection needs of a connection; a pg Client fits, and tests wrap one. */
export interface SqlClient {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** A set of projected tables: the live ones, or a rebuild's shadow copies. */
export interface ReadModelTables {
  inbox: string;
  timeline: string;
  facts: string;
}

export const liveTables: ReadModelTables = { inbox: 'inbox_tasks', timeline: 'task_timeline', facts: 'task_facts' };

export const shadowTables: ReadModelTables = {
  inbox: 'inbox_tasks_rebuild',
  timeline: 'task_timeline_rebuild',
  facts: 'task_facts_rebuild',
};

/** A NOTIFY sent by the statement that writes a batch, so it is delivered when the batch commits. */
export interface Notification {
  channel: string;
  payload: string;
}

/**
 * Reads and writes one table set. A batch's rows are written by one statement (one
 * data-modifying CTE per table, rows travelling as jsonb arrays), which also sends the batch's
 * NOTIFY when asked: one round trip for the whole write.
 */
export class ReadModelStatements {
  private readonly load: string;
  private readonly upsert: string;
  private readonly upsertAndNotify: string;
  private readonly insertStagedFacts: (stage: string) => string;
  private readonly remove: string;
  private readonly redact: string;

  constructor(readonly tables: ReadModelTables) {
    const inbox = quote(tables.inbox);
    this.load = `SELECT task_id::text AS task_id, state, comment_count, attachment_count
                 FROM ${inbox} WHERE task_id = ANY($1::uuid[])`;

    const inboxNames = Object.keys(inboxColumns).map(quote).join(', ');
    const timelineNames = Object.keys(timelineColumns).map(quote).join(', ');
    const writes = `WITH
      inbox AS (
        INSERT INTO ${inbox} AS t (${inboxNames})
        SELECT ${inboxNames} FROM jsonb_to_recordset($1::jsonb) AS r(${definitions(inboxColumns)})
        ON CONFLICT (task_id) DO UPDATE SET ${Object.keys(inboxColumns)
          .filter((name) => name !== 'task_id')
          .map((name) => `${quote(name)} = EXCLUDED.${quote(name)}`)
          .join(', ')}
      ),
      -- The checkpoint already guarantees each event is applied once; DO NOTHING is only a backstop.
      timeline AS (
        INSERT INTO ${quote(tables.timeline)} (${timelineNames})
        SELECT ${timelineNames} FROM jsonb_to_recordset($2::jsonb) AS r(${definitions(timelineColumns)})
        ON CONFLICT (task_id, revision) DO NOTHING
      ),
      facts AS (
        INSERT INTO ${quote(tables.facts)} AS f ${factNames}
        ${factsSelect(`jsonb_to_recordset($3::jsonb) AS r(${definitions(factColumns)})`, 4)}
        ON CONFLICT (task_id) DO UPDATE SET
          first_claimed_at = coalesce(f.first_claimed_at, EXCLUDED.first_claimed_at),
          first_response_at = coalesce(f.first_response_at, EXCLUDED.first_response_at),
          resolved_at = EXCLUDED.resolved_at,
          outcome = EXCLUDED.outcome,
          resolution = EXCLUDED.resolution,
          private = EXCLUDED.private,
          resolution_seconds = EXCLUDED.resolution_seconds,
          business_seconds = EXCLUDED.business_seconds
      )`;
    // Data-modifying CTEs run to completion whatever the main query reads.
    this.upsert = `${writes} SELECT 1`;
    this.insertStagedFacts = (stage) => `INSERT INTO ${quote(tables.facts)} ${factNames} ${factsSelect(`${quote(stage)} AS r`, 1)}`;
    this.upsertAndNotify = `${writes} SELECT pg_notify($8, $9)`;
    this.remove = `WITH inbox AS (DELETE FROM ${inbox} WHERE task_id = ANY($1::uuid[])),
      timeline AS (DELETE FROM ${quote(tables.timeline)} WHERE task_id = ANY($1::uuid[]))
      DELETE FROM ${quote(tables.facts)} WHERE task_id = ANY($1::uuid[])`;
    // The fields the payload reaches (libs/ingest PayloadRedactor redacts the same ones in the events).
    this.redact = `UPDATE ${quote(tables.timeline)} SET details = details - 'info' - 'args' - 'response'
      WHERE task_id = ANY($1::uuid[]) AND event_type IN ('TaskInfoPosted', 'TaskActionRequested', 'TaskActionSucceeded', 'TaskActionFailed')`;
  }

  /** Removes deleted tasks' rows and redacts erased ones' timelines: after the rows that may carry them are written. */
  async forget(db: SqlClient, rows: Pick<ProjectedRows, 'deleted' | 'erased'>): Promise<void> {
    if (rows.erased?.length) await db.query(this.redact, [rows.erased]);
    if (rows.deleted?.length) await db.query(this.remove, [rows.deleted]);
  }

  /** Facts rows staged in `stage` (a table with factColumns), with their durations, into the (empty) facts table. */
  async insertFacts(db: SqlClient, stage: string): Promise<void> {
    const { timeZone, workingDays, dayStart, dayEnd } = defaultCalendar;
    await db.query(this.insertStagedFacts(stage), [timeZone, workingDays, dayStart, dayEnd]);
  }

  /** The stored state of those of `taskIds` that have an inbox row. */
  async loadTasks(db: SqlClient, taskIds: string[]): Promise<Map<string, StoredTask>> {
    const { rows } = await db.query<{
      task_id: string;
      state: StoredTask['state'];
      comment_count: number;
      attachment_count: number;
    }>(this.load, [taskIds]);
    return new Map(
      rows.map((row) => [
        row.task_id,
        { state: row.state, commentCount: row.comment_count, attachmentCount: row.attachment_count },
      ]),
    );
  }

  /**
   * Writes a batch's rows inside the caller's transaction: one statement, or several when the
   * rows are large (tasks with big payloads), so that no statement's parameters come near
   * PostgreSQL's limits (256 MB for a jsonb value). The NOTIFY goes with the last one.
   */
  async writeRows(db: SqlClient, rows: ProjectedRows, notification?: Notification): Promise<void> {
    const { timeZone, workingDays, dayStart, dayEnd } = defaultCalendar;
    const parts = splitRows(rows, statementChars);
    for (const [index, part] of parts.entries()) {
      const values = [part.inbox, part.timeline, part.facts, timeZone, workingDays, dayStart, dayEnd];
      if (notification && index === parts.length - 1)
        await db.query(this.upsertAndNotify, [...values, notification.channel, notification.payload]);
      else await db.query(this.upsert, values);
    }
    await this.forget(db, rows);
  }
}

/** Most characters of JSON rows one write statement carries. */
const statementChars = 8 * 1024 * 1024;

type RowKind = 'inbox' | 'timeline' | 'facts';
type RowsJson = Record<RowKind, string>;

/** The rows as JSON arrays, cut into parts of at most `limit` characters; a larger row goes alone. */
export function splitRows(rows: ProjectedRows, limit: number): RowsJson[] {
  const parts: Record<RowKind, string[]>[] = [];
  let part = { inbox: [], timeline: [], facts: [] } as Record<RowKind, string[]>;
  let chars = 0;
  for (const key of ['inbox', 'timeline', 'facts'] as const) {
    for (const row of rows[key]) {
      const json = JSON.stringify(row);
      if (chars > 0 && chars + json.length > limit) {
        parts.push(part);
        part = { inbox: [], timeline: [], facts: [] };
        chars = 0;
      }
      part[key].push(json);
      chars += json.length + 1;
    }
  }
  parts.push(part);
  return parts.map((each) => ({
    inbox: `[${each.inbox.join(',')}]`,
    timeline: `[${each.timeline.join(',')}]`,
    facts: `[${each.facts.join(',')}]`,
  }));
}

const factNames = `(task_id, org_id, task_type, created_at, first_claimed_at, first_response_at, resolved_at, outcome,
  resolution, private, resolution_seconds, business_seconds)`;

/**
 * Facts rows `r` from `source` with their durations, computed here so business hours come from
 * the org's calendar (or the default one, parameters $calendar..$calendar+3). A task's clock
 * runs from creation to resolution, waiting included.
 */
const factsSelect = (source: string, calendar: number): string => `
  SELECT r.task_id, r.org_id, r.task_type, r.created_at, r.first_claimed_at, r.first_response_at,
    r.resolved_at, r.outcome, r.resolution, r.private,
    extract(epoch FROM r.resolved_at - r.created_at)::double precision,
    CASE WHEN r.resolved_at IS NOT NULL THEN business_seconds(r.created_at, r.resolved_at,
      coalesce(c.time_zone, $${calendar}), coalesce(c.working_days, $${calendar + 1}::smallint[]),
      coalesce(c.day_start, $${calendar + 2}::time), coalesce(c.day_end, $${calendar + 3}::time)) END
  FROM ${source}
  LEFT JOIN org_calendars c ON c.org_id = r.org_id`;

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

export const definitions = (columns: Record<string, string>): string =>
  Object.entries(columns)
    .map(([name, type]) => `${quote(name)} ${type}`)
    .join(', ');
