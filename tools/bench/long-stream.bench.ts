import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { taskStreamName } from '@taskinbox/domain';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { IngestModule } from '@taskinbox/ingest';
import { call, prepareTemplateDatabase, startRunNats, startTestApp, stopRunNats } from '@taskinbox/testing';

// Commands and reads on a task with 10,000 events beside the same on a new task (the limit: what
// a command costs when there is nothing to fold), over HTTP against the ingest module alone.
// The long task's first read folds its whole stream and leaves a snapshot; later ones fold from
// it. Requests alternate between the long task and new ones, so load on the machine hits both alike.

export interface LongStreamFigures {
  events: number;
  requests: number;
  /** Milliseconds, median and p99, per kind of request and task. */
  comment: { long: Latency; fresh: Latency };
  read: { long: Latency; fresh: Latency };
  /** Reading the long stream whole (what each command cost before snapshots), median ms. */
  wholeStreamMs: number;
}

export interface Latency {
  p50: number;
  p99: number;
}

export async function longStreamCommands({ events = 10_000, requests = 300 } = {}): Promise<LongStreamFigures> {
  await prepareTemplateDatabase();
  const t = await startTestApp({ imports: [IngestModule] });
  try {
    const org = await t.createOrganisation('bench');
    const create = async () =>
      (await call(t.url, 'POST', '/api/tasks', { token: org.tokens.service, body: { type: 'bench', title: 'Long' } }))
        .body.id as string;
    const long = await create();
    // Each new-task sample gets a task of its own, so none of them grows long during the run.
    const fresh: string[] = [];
    for (let run = 0; run < requests + 20; run++) fresh.push(await create());

    // The long task's comments, appended straight to its stream in chunks.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const by = { kind: 'user', id: org.userIds.member, role: 'member' };
    for (let revision = 0; revision < events - 1; revision += 500) {
      const count = Math.min(500, events - 1 - revision);
      await store.appendToStream(
        taskStreamName(long),
        Array.from({ length: count }, (_, index) => ({
          id: uuidv7(),
          type: 'TaskCommented',
          data: {
            taskId: long,
            by,
            commentId: randomUUID(),
            body: `comment ${revision + index}`,
            commentedAt: new Date().toISOString(),
          },
          metadata: { orgId: org.id, actor: `user:${by.id}`, correlationId: randomUUID() },
        })),
        { expectedRevision: BigInt(revision) },
      );
    }

    const whole: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await store.readStream(taskStreamName(long));
      whole.push(performance.now() - started);
    }

    const time = async (request: () => Promise<{ status: number }>): Promise<number> => {
      const started = performance.now();
      const { status } = await request();
      if (status >= 300) throw new Error(`HTTP ${status}`);
      return performance.now() - started;
    };
    const comment = (id: string) => () =>
      call(t.url, 'POST', `/api/tasks/${id}/comments`, { token: org.tokens.member, body: { body: 'One more.' } });
    const read = (id: string) => () => call(t.url, 'GET', `/api/tasks/${id}`, { token: org.tokens.viewer });

    // Warm-up: connections, plans, and the long task's first snapshot.
    for (let run = 0; run < 20; run++) for (const id of [long, fresh[requests + run]]) await time(read(id));
    const samples = {
      comment: { long: [] as number[], fresh: [] as number[] },
      read: { long: [] as number[], fresh: [] as number[] },
    };
    for (let run = 0; run < requests; run++) {
      samples.comment.long.push(await time(comment(long)));
      samples.comment.fresh.push(await time(comment(fresh[run])));
      samples.read.long.push(await time(read(long)));
      samples.read.fresh.push(await time(read(fresh[run])));
    }
    return {
      events,
      requests,
      comment: { long: latency(samples.comment.long), fresh: latency(samples.comment.fresh) },
      read: { long: latency(samples.read.long), fresh: latency(samples.read.fresh) },
      wholeStreamMs: latency(whole).p50,
    };
  } finally {
    await t.close();
  }
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100;
  return { p50: at(0.5), p99: at(0.99) };
}

if (require.main === module) {
  // Run alone (npm run bench:long-stream), the app needs a NATS of the bench's own, like a test run's.
  startRunNats()
    .then(() => longStreamCommands())
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .finally(() => stopRunNats())
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
