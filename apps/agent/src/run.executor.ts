import type { RunOrder, RunStartReport } from '@taskinbox/device-protocol';
import {
  baseEnvironment,
  removeRunDirectory,
  resolveUser,
  runAction,
  runDirectory,
} from './action.runner';
import type { AgentConfig } from './agent.config';
import type { Logger } from './agent.logger';
import type { Outbox } from './agent.outbox';
import type { AgentState } from './agent.state';

interface ActiveRun {
  controller: AbortController;
  scheduleId?: string;
  /** Cancelled by this agent (overlap replace) or the server: nothing more is reported. */
  silenced: boolean;
  done: Promise<void>;
}

/**
 * Runs jobs: each action in order as the run's user, each result reported as it comes, the run's
 * end reported last. A run id is run at most once by this agent, across restarts.
 */
export class RunExecutor {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly config: AgentConfig,
    private readonly state: AgentState,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    /** Told when a run ends, with its schedule (queued catch-up slots start then). */
    private readonly onDone: (scheduleId: string | undefined) => void = () => undefined,
  ) {}

  /** Whether this agent has taken the run on before (running now, or done). */
  knows(runId: string): boolean {
    return this.active.has(runId) || runId in this.state.runs();
  }

  /** Runs of the schedule still running. */
  runningFor(scheduleId: string): string[] {
    return [...this.active.entries()].filter(([, run]) => run.scheduleId === scheduleId).map(([id]) => id);
  }

  get running(): number {
    return this.active.size;
  }

  /** Starts the run in the background; resolves once it is recorded as taken on. */
  start(order: RunOrder, slot?: RunStartReport['schedule']): void {
    if (this.knows(order.runId)) return;
    const runs = this.state.runs();
    runs[order.runId] = { status: 'running', scheduleId: slot?.scheduleId, at: this.config.clock.now().toISOString() };
    this.state.saveRuns(runs);
    const controller = new AbortController();
    const active: ActiveRun = { controller, scheduleId: slot?.scheduleId, silenced: false, done: Promise.resolve() };
    this.active.set(order.runId, active);
    active.done = this.execute(order, slot, active).finally(() => {
      this.active.delete(order.runId);
      const after = this.state.runs();
      after[order.runId] = { ...after[order.runId], status: 'done' };
      this.state.saveRuns(after);
      this.onDone(slot?.scheduleId);
    });
  }

  /** Stops a run: its process group gets SIGTERM, then SIGKILL; nothing more of it is reported. */
  cancel(runId: string): Promise<void> {
    const run = this.active.get(runId);
    if (!run) return Promise.resolve();
    run.silenced = true;
    run.controller.abort();
    return run.done;
  }

  /** Stops every run (the agent is shutting down) and reports each as failed for that reason. */
  async stopAll(reason: string): Promise<void> {
    const runs = [...this.active.entries()];
    for (const [, run] of runs) run.controller.abort(new Error(reason));
    await Promise.all(runs.map(([, run]) => run.done));
  }

  /** Runs left 'running' by a previous process: they were cut short; say so (they are not run again). */
  closeInterrupted(): void {
    const runs = this.state.runs();
    for (const [runId, run] of Object.entries(runs)) {
      if (run.status !== 'running') continue;
      this.report(runId, 'finish', {
        finishedAt: this.config.clock.now().toISOString(),
        error: 'The agent stopped during this run (restart or crash); the rest of it did not run.',
      });
      runs[runId] = { ...run, status: 'done' };
    }
    this.state.saveRuns(runs);
  }

  private async execute(order: RunOrder, slot: RunStartReport['schedule'], active: ActiveRun): Promise<void> {
    const { job, runId } = order;
    const clock = this.config.clock;
    this.report(runId, 'start', { startedAt: clock.now().toISOString(), ...(slot ? { schedule: slot } : {}) });
    let runError: string | undefined;
    let user;
    try {
      user = resolveUser(job.runAs ?? this.config.runAs, this.config.allowedUsers);
    } catch (error) {
      runError = (error as Error).message;
    }
    if (user) {
      const dir = runDirectory(user);
      try {
        for (const [index, action] of job.actions.entries()) {
          if (active.controller.signal.aborted) break;
          const report = await runAction(action, {
            user,
            dir,
            env: baseEnvironment(user, runId, job.jobId),
            outputMaxBytes: job.outputMaxBytes,
            killGraceMs: this.config.killGraceMs,
            cancelled: active.controller.signal,
            now: () => clock.now(),
          });
          if (active.silenced) return;
          this.report(runId, `actions/${index}`, report, 'PUT');
          if (!report.ok && job.onFailure === 'stop') break;
        }
      } finally {
        removeRunDirectory(dir);
      }
    }
    if (active.silenced) return;
    const reason = active.controller.signal.reason as Error | undefined;
    if (active.controller.signal.aborted && reason?.message) runError = reason.message;
    this.report(runId, 'finish', { finishedAt: clock.now().toISOString(), ...(runError ? { error: runError } : {}) });
    this.logger.info({ runId, job: job.name }, 'run finished');
  }

  report(runId: string, what: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): void {
    this.outbox.add({ method, path: `/api/devices/agent/runs/${runId}/${what}`, body, runId });
  }
}
