import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, credsAuthenticator } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { evolve, initialState, type Task, type TaskEvent } from '@taskinbox/domain';
import { natsNames } from '@taskinbox/messaging';
import { firstAttemptLeaseMs } from '@taskinbox/webhooks';
import type { Deployment } from './deployment';
import type { Ledger } from './load';
import type { FaultMoment } from './faults';
import type { EndpointReceipts, Receipt } from './webhook-receiver';

// What a run proves, from the client's ledger, the event store, the read models, JetStream and
// the webhook receiver. Every count named `lost`, `doubled`, `wrong`, `missing`, `twoWinners` or
// `orderViolations` must be 0.

export interface Findings {
  creates: { attempted: number; acked: number; unacked: number; inStoreOnce: number; inInboxOnce: number; lost: number; doubled: number };
  readModels: { tasks: number; equalToFold: number; wrong: number; missing: number; examples: string[] };
  jetstream: { events: number; reachedOnce: number; missing: number; duplicates: number };
  webhooks: {
    endpoint: string;
    ordered: boolean;
    expected: number;
    arrived: number;
    missing: number;
    duplicates: number;
    /** Each duplicate by the first fault that began between its two copies (from 2 s before the first), else a failed attempt or a lease that ran out: `none` is unexplained. */
    duplicatesAfter: Record<string, number>;
    /** Each duplicate's copies and its attempts as recorded, to tell which path sent it twice. */
    duplicateTraces: string[];
    orderViolations: number;
    badSignatures: number;
  }[];
  claims: { races: number; withWinner: number; twoWinners: number; ackedWinnerNotTheClaimer: number };
  completes: { acked: number; lost: number };
  comments: { acked: number; unknown: number; lost: number; doubled: number };
}

export interface WebhookEndpointUnderTest {
  name: string;
  ordered: boolean;
  record: EndpointReceipts;
}

interface EventRow {
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
}

/** The org's task events, in stream order. */
async function taskEvents(pool: Pool, orgId: string): Promise<EventRow[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT stream_id, stream_revision, event_id::text, event_type, data FROM es_events
     WHERE stream_id LIKE 'task-%' AND metadata->>'orgId' = $1 ORDER BY stream_id, stream_revision`,
    [orgId],
  );
  return rows;
}

/** Cheap progress figures, to wait until the system is quiet. */
export async function progress(
  deployment: Deployment,
  orgId: string,
  endpoints: WebhookEndpointUnderTest[],
): Promise<{ events: number; projected: number; relayed: number; webhooks: number[] }> {
  const pool = new Pool({ connectionString: deployment.databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  try {
    const events = Number((await pool.query(`SELECT count(*) AS n FROM es_events WHERE stream_id LIKE 'task-%' AND metadata->>'orgId' = $1`, [orgId])).rows[0].n);
    const projected = Number((await pool.query('SELECT coalesce(sum(version + 1), 0) AS n FROM inbox_tasks WHERE org_id = $1', [orgId])).rows[0].n);
    let relayed = -1;
    const nc = await connect({
      servers: deployment.nats.url,
      authenticator: credsAuthenticator(new TextEncoder().encode(readFileSync(deployment.nats.paths.services, 'utf8'))),
      maxReconnectAttempts: 0,
    });
    try {
      relayed = (await (await jetstreamManager(nc)).streams.info(natsNames(deployment.prefix).stream)).state.messages;
    } finally {
      await nc.close();
    }
    const webhooks = endpoints.map((endpoint) => new Set(endpoint.record.receipts.map((receipt) => receipt.eventId)).size);
    return { events, projected, relayed, webhooks };
  } finally {
    await pool.end();
  }
}

interface DuplicateRow {
  event_id: string;
  revision: number;
  status: string;
  created_at: Date;
  delivered_at: Date | null;
  tries: { at: string; ok: boolean; error: string | null; ms: number }[] | null;
  previous_delivered_at: Date | null;
}

/** The delivery rows (with their recorded attempts) of the events that arrived more than once on an endpoint. */
async function duplicateRows(pool: Pool, endpoint: string, copies: ReadonlyMap<string, readonly Receipt[]>): Promise<Map<string, DuplicateRow>> {
  const doubled = [...copies].filter(([, list]) => list.length > 1).map(([eventId]) => eventId);
  if (doubled.length === 0) return new Map();
  const { rows } = await pool.query<DuplicateRow>(
    `SELECT d.event_id, d.revision, d.status, d.created_at, d.delivered_at,
            (SELECT json_agg(json_build_object('at', a.attempted_at, 'ok', a.succeeded, 'error', a.error_class, 'ms', a.latency_ms) ORDER BY a.id)
               FROM webhook_attempts a WHERE a.delivery_id = d.id) AS tries,
            (SELECT p.delivered_at FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
               AND p.revision = d.revision - 1) AS previous_delivered_at
     FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
     WHERE e.url LIKE $1 AND d.event_id = ANY ($2::text[])`,
    [`%/hooks/${endpoint}`, doubled],
  );
  return new Map(rows.map((row) => [row.event_id, row]));
}

/**
 * The faults that can make a webhook go twice: a sender killed or its record cut off before it
 * was written, jobs lost. Other kills and a NATS restart cannot (an event redelivered or
 * republished makes no second delivery row), so they explain no duplicate.
 */
const resends = new Set(['webhooks kill', 'PostgreSQL crash', 'Redis wipe']);

/**
 * What each duplicate delivery went through: the first such fault that began between one copy and the
 * next (a send whose record a kill or a crash cut off goes again). The window opens 2 s before the
 * earlier copy arrived, since a fault can begin while a request is on its way. Without a fault,
 * at-least-once delivery still sends again after an attempt recorded as failed (a timeout under
 * load, though the receiver got it), or once the lease of a first attempt whose job waited too
 * long ran out; `none` is a duplicate nothing explains.
 */
function duplicateCauses(copies: ReadonlyMap<string, readonly Receipt[]>, faults: readonly FaultMoment[], rows: ReadonlyMap<string, DuplicateRow>): Record<string, number> {
  const causes: Record<string, number> = {};
  for (const [eventId, list] of copies) {
    const row = rows.get(eventId);
    for (let i = 1; i < list.length; i++) {
      const failed = row?.tries?.find((t) => !t.ok && Date.parse(t.at) <= list[i - 1].at);
      const fault =
        faults.find((f) => resends.has(f.fault) && f.at >= list[i - 1].at - 2_000 && f.at <= list[i].at)?.fault ??
        (failed ? `attempt ${failed.error ?? 'failed'}` : row && list[i - 1].at - row.created_at.getTime() > firstAttemptLeaseMs ? 'lease ran out' : 'none');
      causes[fault] = (causes[fault] ?? 0) + 1;
    }
  }
  return causes;
}

/**
 * For each event that arrived more than once: when each copy arrived and was signed, from
 * which socket, the delivery's recorded attempts and (ordered endpoints) when the task's
 * previous event was delivered; times in ms from the first copy's arrival.
 */
function duplicateTraces(copies: ReadonlyMap<string, readonly Receipt[]>, faults: readonly FaultMoment[], rows: ReadonlyMap<string, DuplicateRow>): string[] {
  return [...copies]
    .filter(([, list]) => list.length > 1)
    .map(([eventId, list]) => {
      const zero = list[0].at;
      const rel = (at: number | Date | string | null | undefined) => (at === null || at === undefined ? '-' : `${new Date(at).getTime() - zero} ms`);
      const row = rows.get(eventId);
      const arrived = list.map((copy) => `${rel(copy.at)} (signed ${copy.signedAt * 1000 - zero} ms, port ${copy.fromPort})`).join(', ');
      const tries = (row?.tries ?? []).map((t) => `${rel(t.at)} ${t.ok ? 'ok' : (t.error ?? 'failed')} ${t.ms} ms`).join(', ');
      const near = faults.filter((f) => f.at >= zero - 10_000 && f.at <= list[list.length - 1].at + 10_000).map((f) => `${f.fault} ${rel(f.at)}`).join(', ');
      return `${eventId} rev ${row?.revision ?? '?'}: arrived ${arrived}; row ${row?.status ?? 'none'} created ${rel(row?.created_at)} delivered ${rel(row?.delivered_at)}; attempts [${tries}]; previous delivered ${rel(row?.previous_delivered_at)}; faults near [${near}]`;
    });
}

export async function check(
  deployment: Deployment,
  orgId: string,
  ledger: Ledger,
  endpoints: WebhookEndpointUnderTest[],
  faults: readonly FaultMoment[],
): Promise<Findings> {
  const pool = new Pool({ connectionString: deployment.databaseUrl, max: 2 });
  try {
    const events = await taskEvents(pool, orgId);
    const streams = new Map<string, EventRow[]>();
    for (const event of events) {
      const stream = streams.get(event.stream_id) ?? [];
      stream.push(event);
      streams.set(event.stream_id, stream);
    }

    // Creates: each acked one is one TaskCreated (and one inbox row); no key made two tasks.
    const createdByKey = new Map<string, number>();
    const createdIds = new Set<string>();
    for (const event of events) {
      if (event.event_type !== 'TaskCreated') continue;
      createdIds.add(event.stream_id.slice('task-'.length));
      const key = event.data.idempotencyKey as string | undefined;
      if (key) createdByKey.set(key, (createdByKey.get(key) ?? 0) + 1);
    }
    const inbox = await pool.query<{ task_id: string; status: string; version: number; processed_by: string | null; resolution: string | null; comment_count: number; state: Record<string, unknown> }>(
      'SELECT task_id::text, status, version, processed_by, resolution, comment_count, state FROM inbox_tasks WHERE org_id = $1',
      [orgId],
    );
    const inboxRows = new Map<string, number>();
    for (const row of inbox.rows) inboxRows.set(row.task_id, (inboxRows.get(row.task_id) ?? 0) + 1);
    const acked = [...ledger.creates.values()].filter((entry) => entry.outcome === 'acked');
    const creates: Findings['creates'] = {
      attempted: ledger.creates.size,
      acked: acked.length,
      unacked: ledger.creates.size - acked.length,
      inStoreOnce: acked.filter((entry) => createdByKey.get(entry.key) === 1 && createdIds.has(entry.id!)).length,
      inInboxOnce: acked.filter((entry) => inboxRows.get(entry.id!) === 1).length,
      lost: acked.filter((entry) => !createdIds.has(entry.id!) || inboxRows.get(entry.id!) !== 1).length,
      doubled: [...createdByKey.values()].filter((count) => count > 1).length,
    };

    // Read models: each task's row equals the fold of its stream.
    const readModels: Findings['readModels'] = { tasks: streams.size, equalToFold: 0, wrong: 0, missing: 0, examples: [] };
    const rowsById = new Map(inbox.rows.map((row) => [row.task_id, row]));
    for (const [streamId, stream] of streams) {
      let state: Task = initialState();
      let comments = 0;
      for (const event of stream) {
        state = evolve(state, { type: event.event_type, data: event.data } as TaskEvent);
        if (event.event_type === 'TaskCommented') comments += 1;
      }
      const taskId = streamId.slice('task-'.length);
      const row = rowsById.get(taskId);
      if (!row || !state.exists) {
        readModels.missing += 1;
        if (readModels.examples.length < 5) readModels.examples.push(`${taskId}: no inbox row`);
        continue;
      }
      // The column is the API's version (0-based: the stream revision); the fold counts events.
      const expected = { status: state.status, version: state.version - 1, processedBy: state.processedBy ?? null, resolution: state.resolution ?? null, comments };
      const actual = { status: row.status, version: row.version, processedBy: row.processed_by, resolution: row.resolution, comments: row.comment_count };
      const sameState = JSON.stringify(sorted(row.state)) === JSON.stringify(sorted(JSON.parse(JSON.stringify(state))));
      if (JSON.stringify(expected) === JSON.stringify(actual) && sameState) {
        readModels.equalToFold += 1;
      } else {
        readModels.wrong += 1;
        if (readModels.examples.length < 5) readModels.examples.push(`${taskId}: fold ${JSON.stringify(expected)} row ${JSON.stringify(actual)} state ${sameState ? 'same' : 'differs'}`);
      }
    }

    // JetStream: every event once, by message id.
    const seen = await jetStreamMessageIds(deployment);
    const jetstreamFindings: Findings['jetstream'] = { events: events.length, reachedOnce: 0, missing: 0, duplicates: 0 };
    for (const event of events) {
      const count = seen.get(event.event_id) ?? 0;
      if (count === 0) jetstreamFindings.missing += 1;
      else if (count === 1) jetstreamFindings.reachedOnce += 1;
      else jetstreamFindings.duplicates += 1;
    }

    const orderExamples: string[] = [];
    // Webhooks: every event at least once per endpoint; duplicates counted; order per task held on ordered ones.
    const webhooks: Findings['webhooks'] = [];
    for (const { name, ordered, record } of endpoints) {
      // Every copy of each event, in arrival order.
      const arrivals = new Map<string, Receipt[]>();
      for (const receipt of record.receipts) arrivals.set(receipt.eventId, [...(arrivals.get(receipt.eventId) ?? []), receipt]);
      let orderViolations = 0;
      const highest = new Map<string, number>();
      for (const receipt of record.receipts) {
        const before = highest.get(receipt.taskId) ?? -1;
        if (receipt.sequence < before) {
          orderViolations += 1;
          if (ordered && orderExamples.length < 5) orderExamples.push(`${name} task ${receipt.taskId}: ${receipt.sequence} after ${before}`);
        }
        highest.set(receipt.taskId, Math.max(before, receipt.sequence));
      }
      const missing = events.filter((event) => !arrivals.has(event.event_id)).length;
      const doubled = await duplicateRows(pool, name, arrivals);
      webhooks.push({
        endpoint: name,
        ordered,
        expected: events.length,
        arrived: events.length - missing,
        missing,
        duplicates: [...arrivals.values()].reduce((sum, copies) => sum + copies.length - 1, 0),
        duplicatesAfter: duplicateCauses(arrivals, faults, doubled),
        duplicateTraces: duplicateTraces(arrivals, faults, doubled),
        orderViolations: ordered ? orderViolations : 0,
        badSignatures: record.badSignatures,
      });
    }

    // Claim races: at most one winner, and the acked winner is the one the stream says claimed.
    const claims: Findings['claims'] = { races: ledger.races.length, withWinner: 0, twoWinners: 0, ackedWinnerNotTheClaimer: 0 };
    for (const race of ledger.races) {
      const stream = streams.get(`task-${race.taskId}`) ?? [];
      const claimedBy = stream.filter((event) => event.event_type === 'TaskClaimed').map((event) => (event.data.by as { id: string }).id);
      const winners = race.claims.filter((claim) => claim.outcome === 'acked');
      if (winners.length > 0 || claimedBy.length > 0) claims.withWinner += 1;
      if (winners.length > 1 || claimedBy.length > 1) claims.twoWinners += 1;
      if (winners.length === 1 && claimedBy[0] !== winners[0].userId) claims.ackedWinnerNotTheClaimer += 1;
    }

    const completedTasks = new Set(events.filter((event) => event.event_type === 'TaskCompleted').map((event) => event.stream_id.slice(5)));
    const ackedCompletes = ledger.completes.filter((complete) => complete.outcome === 'acked');
    const completes = { acked: ackedCompletes.length, lost: ackedCompletes.filter((complete) => !completedTasks.has(complete.taskId)).length };

    const commentBodies = new Map<string, number>();
    for (const event of events) {
      if (event.event_type === 'TaskCommented') commentBodies.set(event.data.body as string, (commentBodies.get(event.data.body as string) ?? 0) + 1);
    }
    const ackedComments = ledger.comments.filter((comment) => comment.outcome === 'acked');
    const comments = {
      acked: ackedComments.length,
      unknown: ledger.comments.filter((comment) => comment.outcome === 'unknown').length,
      lost: ackedComments.filter((comment) => !commentBodies.has(comment.body)).length,
      doubled: [...commentBodies.values()].filter((count) => count > 1).length,
    };

    readModels.examples.push(...orderExamples);
    return { creates, readModels, jetstream: jetstreamFindings, webhooks, claims, completes, comments };
  } finally {
    await pool.end();
  }
}

/** Every message's Nats-Msg-Id in the events stream, with how often it is there. */
async function jetStreamMessageIds(deployment: Deployment): Promise<Map<string, number>> {
  const nc = await connect({
    servers: deployment.nats.url,
    authenticator: credsAuthenticator(new TextEncoder().encode(readFileSync(deployment.nats.paths.services, 'utf8'))),
    maxReconnectAttempts: 0,
  });
  const ids = new Map<string, number>();
  try {
    const stream = natsNames(deployment.prefix).stream;
    const total = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    if (total === 0) return ids;
    // An ordered consumer: every message once, in order, nothing left behind on the server.
    const consumer = await jetstream(nc).consumers.get(stream);
    const messages = await consumer.consume();
    let read = 0;
    for await (const message of messages) {
      const id = message.headers?.get('Nats-Msg-Id') ?? '';
      ids.set(id, (ids.get(id) ?? 0) + 1);
      if (++read >= total || message.info.pending === 0) break;
    }
    await messages.close();
  } finally {
    await nc.close();
  }
  return ids;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}

/** Any loss, doubling, wrong row, second winner or order violation. */
export function losses(findings: Findings): string[] {
  const problems: string[] = [];
  const { creates, readModels, jetstream, webhooks, claims, completes, comments } = findings;
  if (creates.lost) problems.push(`${creates.lost} acknowledged creates lost`);
  if (creates.doubled) problems.push(`${creates.doubled} idempotency keys made two tasks`);
  if (readModels.wrong || readModels.missing) problems.push(`${readModels.wrong} read-model rows wrong, ${readModels.missing} missing`);
  if (jetstream.missing || jetstream.duplicates) problems.push(`JetStream: ${jetstream.missing} events missing, ${jetstream.duplicates} twice`);
  for (const w of webhooks) {
    if (w.missing) problems.push(`webhooks ${w.endpoint}: ${w.missing} events never arrived`);
    if (w.orderViolations) problems.push(`webhooks ${w.endpoint}: ${w.orderViolations} arrivals out of order`);
    if (w.badSignatures) problems.push(`webhooks ${w.endpoint}: ${w.badSignatures} bad signatures`);
  }
  if (claims.twoWinners || claims.ackedWinnerNotTheClaimer) problems.push(`claim races: ${claims.twoWinners} with two winners, ${claims.ackedWinnerNotTheClaimer} acked winner not the claimer`);
  if (completes.lost) problems.push(`${completes.lost} acknowledged completes lost`);
  if (comments.lost || comments.doubled) problems.push(`comments: ${comments.lost} acknowledged lost, ${comments.doubled} applied twice`);
  return problems;
}
