import {
  type AgentSession,
  type AgentWork,
  type MissedReason,
  type RunOrder,
  type RunStatusView,
  type ScheduleOrder,
  scheduledRunId,
  type WakeMessage,
} from '@taskinbox/device-protocol';
import { AgentClient, DeviceUnenrolled, ServerRefused } from '@taskinbox/device-protocol';
import type { AgentConfig } from './agent.config';
import { deviceFacts } from './agent.facts';
import type { Logger } from './agent.logger';
import { AgentNats } from './agent.nats';
import { Outbox } from './agent.outbox';
import type { AgentState, Identity } from './agent.state';
import { RunExecutor } from './run.executor';
import { ScheduleRunner } from './schedule.runner';

/** Exit code of an agent whose device was unenrolled: systemd does not restart it (RestartPreventExitStatus). */
export const unenrolledExitCode = 3;

/**
 * The daemon: asks the server for work when it connects, when it is woken and every poll
 * interval; runs what the server sent to this device; fires cached schedules on its own; sends
 * every result through the outbox. It survives the server and NATS going away and coming back.
 */
export class Agent {
  private readonly client: AgentClient;
  private readonly outbox: Outbox;
  private readonly executor: RunExecutor;
  private readonly scheduler: ScheduleRunner;
  private readonly nats: AgentNats;
  private pollTimer?: NodeJS.Timeout;
  private pollSeconds = 300;
  private fetching?: Promise<void>;
  private fetchAgain = false;
  private stopping = false;
  private finished!: (code: number) => void;
  /** Resolves with the exit code once the agent has stopped. */
  readonly exited = new Promise<number>((resolve) => (this.finished = resolve));

  constructor(
    private readonly config: AgentConfig,
    private readonly state: AgentState,
    private readonly identity: Identity,
    private readonly logger: Logger,
  ) {
    this.client = new AgentClient(identity.server, identity.deviceId, identity.seed, (session) => this.sessionOpened(session));
    this.outbox = new Outbox(state, () => this.client, logger, config.maxBackoffMs, () => void this.unenrolled());
    this.executor = new RunExecutor(config, state, this.outbox, logger, (scheduleId) => this.next(scheduleId));
    this.scheduler = new ScheduleRunner(
      config.clock,
      state,
      {
        run: (schedule, slots) => this.due(schedule, slots),
        missed: (schedule, at, reason, earlier) => this.miss(schedule, at, reason, earlier),
      },
      logger,
    );
    this.nats = new AgentNats(
      identity.deviceId,
      identity.seed,
      (renew) => this.client.session(renew),
      (message) => this.woken(message),
      () => this.fetchWork(),
      logger,
      config.maxBackoffMs,
    );
  }

  start(): void {
    this.config.clock.anchor();
    this.logger.info({ deviceId: this.identity.deviceId, server: this.identity.server }, 'agent starting');
    this.executor.closeInterrupted();
    this.outbox.kick();
    // Cached schedules fire whether or not the server can be reached.
    this.scheduler.start();
    this.nats.start();
    this.nats.done().catch((error: unknown) => {
      if (error instanceof DeviceUnenrolled) void this.unenrolled();
    });
    void this.reportFacts();
    this.fetchWork();
  }

  async stop(reason = 'the agent was stopped during this run', code = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.pollTimer);
    this.scheduler.stop();
    await this.executor.stopAll(reason);
    // A last chance to deliver what is waiting (an unenrolled device has no one to deliver to).
    if (code !== unenrolledExitCode)
      await Promise.race([this.outbox.drained(), new Promise((resolve) => setTimeout(resolve, 3000))]);
    this.outbox.stop();
    await this.nats.stop();
    clearTimeout(this.renewTimer);
    this.finished(code);
  }

  private sessionOpened(session: AgentSession): void {
    this.nats.renewed(session);
    this.pollSeconds = session.pollSeconds;
    // Renew before the JWT or the access token ends, so NATS reconnects with a valid one.
    const ends = Math.min(Date.parse(session.nats.expiresAt), Date.parse(session.accessExpiresAt));
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.client.session(true).catch(() => undefined), Math.max(1000, (ends - Date.now()) * 0.8));
    this.renewTimer.unref();
  }

  private renewTimer?: NodeJS.Timeout;

  private woken(message: WakeMessage): void {
    if (message.kind === 'run' && typeof message.runId === 'string') void this.take(message.runId);
    else if (message.kind === 'cancel' && typeof message.runId === 'string') void this.checkCancelled(message.runId);
    else this.fetchWork();
  }

  /** Asks for waiting runs and the current schedules; again at the poll interval. */
  private fetchWork(): void {
    if (this.stopping) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    clearTimeout(this.pollTimer);
    this.fetching = this.client
      .request<AgentWork>('GET', '/api/devices/agent/work')
      .then(async (work) => {
        this.logger.info({ runs: work.runs.length, schedules: work.schedules.length }, 'work fetched');
        this.scheduler.replace(work.schedules);
        for (const order of work.runs) await this.take(order.runId);
        this.outbox.kick();
      })
      .catch((error: unknown) => {
        if (error instanceof DeviceUnenrolled) return void this.unenrolled();
        this.logger.warn({ err: String(error) }, 'cannot fetch work yet');
      })
      .finally(() => {
        this.fetching = undefined;
        if (this.stopping) return;
        if (this.fetchAgain) {
          this.fetchAgain = false;
          return this.fetchWork();
        }
        this.pollTimer = setTimeout(() => this.fetchWork(), this.pollSeconds * 1000);
      });
  }

  /** Fetches the run from the server (never from the wake-up) and runs it, once. */
  private async take(runId: string): Promise<void> {
    if (this.stopping || this.executor.knows(runId) || !/^[0-9a-f-]{36}$/.test(runId)) return;
    try {
      const fetched = await this.client.request<RunOrder>('POST', `/api/devices/agent/runs/${runId}/dispatch`);
      if (fetched.runId !== runId) return;
      this.executor.start(fetched);
    } catch (error) {
      if (error instanceof DeviceUnenrolled) return void this.unenrolled();
      if (error instanceof ServerRefused && !error.retryable) return; // cancelled, or not ours
      this.logger.warn({ runId, err: String(error) }, 'cannot fetch the run yet; it is asked for again at the next poll');
    }
  }

  private async checkCancelled(runId: string): Promise<void> {
    try {
      const status = await this.client.request<RunStatusView>('GET', `/api/devices/agent/runs/${runId}`);
      if (status.status === 'cancelled') await this.executor.cancel(runId);
    } catch (error) {
      this.logger.warn({ runId, err: String(error) }, 'cannot check a cancellation yet');
    }
  }

  /** Catch-up slots waiting, per schedule, for the run before them (overlap policies but allow). */
  private readonly queued = new Map<string, { schedule: ScheduleOrder; slots: Date[] }>();

  /**
   * Slots due now: the first is fired at once (its overlap policy applies); more come only when
   * catching up (misfire run_all), and run one after another unless the policy is allow.
   */
  private due(schedule: ScheduleOrder, slots: Date[]): void {
    const [first, ...rest] = slots;
    this.fire(schedule, first);
    if (schedule.overlap === 'allow') return rest.forEach((at) => this.fire(schedule, at));
    if (rest.length === 0) return;
    const waiting = this.queued.get(schedule.scheduleId)?.slots ?? [];
    this.queued.set(schedule.scheduleId, { schedule, slots: [...waiting, ...rest] });
    this.next(schedule.scheduleId);
  }

  /** A run ended: the next queued catch-up slot of its schedule starts, if nothing of it runs. */
  private next(scheduleId: string | undefined): void {
    if (!scheduleId || this.stopping) return;
    const queue = this.queued.get(scheduleId);
    if (!queue || this.executor.runningFor(scheduleId).length > 0) return;
    const at = queue.slots.shift();
    if (queue.slots.length === 0) this.queued.delete(scheduleId);
    if (at) this.fire(queue.schedule, at);
  }

  private fire(schedule: ScheduleOrder, at: Date): void {
    const runId = scheduledRunId(schedule.scheduleId, this.identity.deviceId, at);
    if (this.executor.knows(runId)) return;
    const running = this.executor.runningFor(schedule.scheduleId);
    if (running.length > 0 && schedule.overlap === 'forbid') return this.miss(schedule, at, 'overlap_forbidden');
    if (schedule.overlap === 'replace') {
      for (const old of running) {
        void this.executor.cancel(old);
        this.executor.report(old, 'cancelled', {
          reason: `replaced by the slot of ${at.toISOString()} (overlap policy replace)`,
          cancelledAt: this.config.clock.now().toISOString(),
        });
      }
    }
    this.executor.start(
      { runId, job: schedule.job, trigger: { kind: 'schedule', scheduleId: schedule.scheduleId, scheduledFor: at.toISOString() }, requestedAt: at.toISOString() },
      { scheduleId: schedule.scheduleId, scheduledFor: at.toISOString(), jobVersion: schedule.job.version },
    );
  }

  private miss(schedule: ScheduleOrder, at: Date, reason: MissedReason, earlierNotRecorded?: number): void {
    const runId = scheduledRunId(schedule.scheduleId, this.identity.deviceId, at);
    if (this.executor.knows(runId)) return;
    const runs = this.state.runs();
    runs[runId] = { status: 'done', scheduleId: schedule.scheduleId, at: at.toISOString() };
    this.state.saveRuns(runs);
    this.executor.report(runId, 'missed', {
      scheduleId: schedule.scheduleId,
      scheduledFor: at.toISOString(),
      jobVersion: schedule.job.version,
      reason,
      ...(earlierNotRecorded ? { earlierNotRecorded } : {}),
    });
  }

  private async reportFacts(): Promise<void> {
    try {
      await this.client.request('PUT', '/api/devices/agent/facts', { facts: deviceFacts(), labels: this.config.labels });
    } catch (error) {
      if (error instanceof DeviceUnenrolled) return void this.unenrolled();
      this.logger.warn({ err: String(error) }, 'cannot report facts yet');
      if (!this.stopping) setTimeout(() => void this.reportFacts(), 30_000).unref();
    }
  }

  /** The server refuses this device for good: remember it, stop everything, exit with 3. */
  private async unenrolled(): Promise<void> {
    if (this.stopping) return;
    this.logger.error({ deviceId: this.identity.deviceId }, 'this device was unenrolled: the agent stops');
    this.state.saveIdentity({ ...this.identity, unenrolled: true });
    await this.stop('the device was unenrolled', unenrolledExitCode);
  }
}
