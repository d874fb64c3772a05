import {
  type MissedReason,
  nextSlots,
  onTimeToleranceMs,
  planDueSlots,
  type ScheduleOrder,
  slotsBetween,
} from '@taskinbox/device-protocol';
import type { AgentClock } from './agent.clock';
import type { Logger } from './agent.logger';
import type { AgentState } from './agent.state';

/** Older missed slots than this many per catch-up are counted, not recorded one by one. */
const catchUpLimit = 100;
/** Longest real wait between two looks at the schedules (a changed clock or a sleeping machine). */
const lookEveryMs = 30_000;

export interface SlotHandlers {
  /** Slots to run now, oldest first (more than one only when catching up). */
  run(schedule: ScheduleOrder, slots: Date[]): void;
  missed(schedule: ScheduleOrder, at: Date, reason: MissedReason, earlierNotRecorded?: number): void;
}

/**
 * Fires the device's cached schedules on its own clock, with or without the server. Remembers,
 * per schedule, the newest slot it handled, so after a stop or a sleep it knows which slots came
 * due meanwhile and applies the misfire policy to them.
 */
export class ScheduleRunner {
  private schedules: ScheduleOrder[];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly clock: AgentClock,
    private readonly state: AgentState,
    private readonly handlers: SlotHandlers,
    private readonly logger: Logger,
  ) {
    this.schedules = state.schedules();
  }

  /** The server's current list: cached, and looked at at once. */
  replace(schedules: ScheduleOrder[]): void {
    this.schedules = schedules;
    this.state.saveSchedules(schedules);
    const progress = this.state.progress();
    for (const id of Object.keys(progress)) if (!schedules.some((s) => s.scheduleId === id)) delete progress[id];
    this.state.saveProgress(progress);
    this.look();
  }

  start(): void {
    this.look();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private look(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const now = this.clock.now();
    const progress = this.state.progress();
    let next: Date | undefined;
    for (const schedule of this.schedules) {
      try {
        const from = new Date(Math.max(Date.parse(schedule.activeFrom), Date.parse(progress[schedule.scheduleId] ?? '') || 0));
        const { slots, omitted } = slotsBetween(schedule.cron, schedule.timezone, from, now, catchUpLimit);
        if (slots.length > 0) {
          const plan = planDueSlots(
            slots,
            schedule.misfire,
            schedule.startingDeadlineSeconds,
            now,
            onTimeToleranceMs * this.clock.speed,
          );
          plan.missed.forEach((missed, index) =>
            this.handlers.missed(schedule, missed.at, missed.reason, index === 0 && omitted > 0 ? omitted : undefined),
          );
          if (plan.run.length > 0) this.handlers.run(schedule, plan.run);
          progress[schedule.scheduleId] = slots[slots.length - 1].toISOString();
        }
        const [upcoming] = nextSlots(schedule.cron, schedule.timezone, now, 1);
        if (upcoming && (!next || upcoming < next)) next = upcoming;
      } catch (error) {
        this.logger.warn({ scheduleId: schedule.scheduleId, err: String(error) }, 'schedule cannot be evaluated');
      }
    }
    this.state.saveProgress(progress);
    const wait = next ? Math.min(this.clock.realMsUntil(next), lookEveryMs) : lookEveryMs;
    this.timer = setTimeout(() => this.look(), Math.max(1, Math.ceil(wait)));
  }
}
