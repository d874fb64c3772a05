/**
 * The agent's wall clock for schedules. Production: the system clock. Tests inject another
 * (TASKINBOX_AGENT_FAKE_TIME, TASKINBOX_AGENT_TIME_SPEED): time starts there and runs `speed`
 * times faster, so a test crosses a daylight-saving change in seconds. Action timeouts stay in
 * real time: they bound real processes.
 */
export class AgentClock {
  private realStart = Date.now();

  constructor(
    private readonly start: number = Date.now(),
    /** How many times faster than real time this clock runs. */
    readonly speed = 1,
  ) {}

  /** The injected time starts now (the daemon's start), not when the process was loaded. */
  anchor(): void {
    this.realStart = Date.now();
  }

  now(): Date {
    return new Date(this.start + (Date.now() - this.realStart) * this.speed);
  }

  /** Real milliseconds until the clock shows `at` (0 when it already does). */
  realMsUntil(at: Date): number {
    return Math.max(0, (at.getTime() - this.now().getTime()) / this.speed);
  }
}
