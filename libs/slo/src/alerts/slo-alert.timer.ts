import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { type EventStore, WrongExpectedRevisionError } from '@taskinbox/event-store';
import { decide, evolve, initialAlertState, type SloAlertEvent, sloStreamName } from '../pure/slo-alert.decider';
import type { SloStatusService } from '../slos/slo-status.service';
import type { SloService, StoredSlo } from '../slos/slo.service';

/**
 * Evaluates every SLO's burn rates on a timer and appends an alert (or a recovery) to the SLO's
 * stream when a rule changes state. Appends expect the revision that was read, so two
 * processes running the timer cannot raise the same alert twice: the later one loses and sees
 * the alert on its next tick.
 */
export class SloAlertTimer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly slos: SloService,
    private readonly statuses: SloStatusService,
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.evaluateAll()
        .catch((error: unknown) => this.logger.error({ err: error }, 'SLO burn-rate evaluation failed'))
        .finally(() => (this.running = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async evaluateAll(): Promise<void> {
    for (const slo of await this.slos.all()) await this.evaluate(slo);
  }

  /** The events appended for `slo` (none when no rule changed state). */
  async evaluate(slo: StoredSlo): Promise<SloAlertEvent[]> {
    const now = this.statuses.now();
    const status = await this.statuses.status(slo, now);
    const stream = sloStreamName(slo.id);
    const recorded = await this.store.readStream(stream);
    const state = recorded
      .map((event) => ({ type: event.type, data: event.data }) as SloAlertEvent)
      .reduce(evolve, initialAlertState);
    const events = decide(
      { sloId: slo.id, taskType: slo.taskType, evaluations: status.burnRates, now: now.toISOString() },
      state,
    );
    if (events.length === 0) return [];
    try {
      await this.store.appendToStream(
        stream,
        events.map((event) => ({
          id: uuidv7(),
          type: event.type,
          data: event.data,
          metadata: { orgId: slo.orgId, actor: 'system:slo', correlationId: uuidv7() },
        })),
        { expectedRevision: recorded.length === 0 ? 'no_stream' : BigInt(recorded.length - 1) },
      );
      return events;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return [];
      throw error;
    }
  }
}
