import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { queueStates } from '@taskinbox/metrics';
import type { Logger } from 'pino';
import type { Actor, TaskActionRequest } from '@taskinbox/domain';
import { CheckpointFollower, type EventStore, type RecordedEvent } from '@taskinbox/event-store';
import {
  actionJobId,
  createTaskActionQueue,
  type TaskActionJobHandlers,
  type TaskActionJobName,
  type TaskActionJobs,
  type TaskActionQueue,
} from './action.jobs';
import type { ActionRunner } from './action.runner';

const checkpointName = 'task-actions';
const taskStream = /^task-(.+)$/;

/**
 * Hands requested actions to the queue and runs them. Requests are read from the event log
 * (whichever edge, HTTP or NATS, recorded them) by one follower per database, whose checkpoint
 * moves after each batch is enqueued, so a crash or a failed enqueue only hands a request over
 * twice, which the job id makes a no-op. Every replica runs jobs. Attempts and their backoff
 * are BullMQ's; the runner says when to stop.
 */
export class ActionWorker {
  private queue?: TaskActionQueue;
  private queueConnection?: Redis;
  private worker?: Worker<TaskActionJobs[TaskActionJobName], void, TaskActionJobName>;
  private workerConnection?: Redis;
  private follower?: CheckpointFollower;

  private readonly handlers: TaskActionJobHandlers = {
    run: async (job) => this.afterAttempt(await this.runner.attempt(job.data, job.attemptsMade + 1)),
  };

  constructor(
    private readonly redisUrl: string,
    private readonly settings: { queueName: string; queuePrefix: string; retryDelayMs: number; concurrency: number },
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly runner: ActionRunner,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.queueConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    this.queueConnection.on('error', () => undefined);
    this.queue = createTaskActionQueue(
      this.settings.queueName,
      this.settings.queuePrefix,
      this.queueConnection,
      this.settings.retryDelayMs,
    );
    // Blocking commands must wait through reconnects rather than fail.
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<TaskActionJobs[TaskActionJobName], void, TaskActionJobName>(
      this.settings.queueName,
      (job) => this.handlers[job.name](job as Job<TaskActionJobs['run'], void, 'run'>),
      { connection: this.workerConnection, prefix: this.settings.queuePrefix, concurrency: this.settings.concurrency },
    );
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'task actions worker error'));
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, jobId: job?.id }, 'task action attempt failed'),
    );
    this.follower = new CheckpointFollower({
      pool: this.pool,
      store: this.store,
      name: checkpointName,
      handle: (events) => this.handOver(events),
      onError: (error) => this.logger.error({ err: error }, 'handing task actions over failed; starting again'),
    });
    this.follower.start();
  }

  /** Jobs by state, for the queue-depth metric; none before the worker starts. */
  async counts(): Promise<Record<string, number>> {
    return this.queue ? this.queue.getJobCounts(...queueStates) : {};
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.queueConnection?.disconnect();
  }

  private async handOver(events: RecordedEvent[]): Promise<void> {
    const requested = events.filter((event) => event.type === 'TaskActionRequested' && taskStream.test(event.streamId));
    if (requested.length === 0) return;
    await this.queue!.addBulk(
      requested.map((event) => {
        const {
          taskId: _taskId,
          by,
          requestedAt: _at,
          ...request
        } = event.data as TaskActionRequest & { taskId: string; by: Actor; requestedAt: string };
        const data: TaskActionJobs['run'] = {
          orgId: event.metadata.orgId,
          taskId: taskStream.exec(event.streamId)![1],
          by,
          request,
        };
        return { name: 'run' as const, data, opts: { jobId: actionJobId(request.actionId) } };
      }),
    );
  }

  private afterAttempt(outcome: Awaited<ReturnType<ActionRunner['attempt']>>): void {
    // Thrown so BullMQ schedules the next attempt with its backoff; not a fault of the job.
    if (outcome === 'retry') throw new Error('the action target failed; trying again');
  }
}
