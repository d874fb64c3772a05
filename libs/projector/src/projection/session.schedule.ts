/** A piece of a rebuild's work for whichever session is free, once the steps it waits for are done. */
export interface Step<Session> {
  /** Unique within a schedule. */
  name: string;
  /** Steps that must have finished first. */
  after?: readonly string[];
  run: (session: Session) => Promise<unknown>;
}

/**
 * Runs `steps` on `sessions` at once, each session taking the first step (in the order given)
 * whose steps to wait for are done: copies, index builds and ANALYZE, which PostgreSQL runs on
 * one core each, keep every session busy instead of waiting phase by phase. Throws the first
 * failure once every session has stopped.
 */
export async function runSchedule<Session>(
  sessions: readonly Session[],
  steps: readonly Step<Session>[],
): Promise<void> {
  const names = new Set(steps.map((step) => step.name));
  for (const step of steps) {
    const unknown = step.after?.find((name) => !names.has(name));
    if (unknown !== undefined)
      throw new Error(`Step '${step.name}' waits for '${unknown}', which is not in the schedule.`);
  }
  const pending = [...steps];
  const done = new Set<string>();
  let running = 0;
  let failed = false;
  // Sessions with nothing ready wait here until a step ends.
  let ended!: () => void;
  let stepEnded = new Promise<void>((resolve) => (ended = resolve));
  const signal = (): void => {
    ended();
    stepEnded = new Promise<void>((resolve) => (ended = resolve));
  };

  const work = async (session: Session): Promise<void> => {
    while (!failed && pending.length > 0) {
      const index = pending.findIndex((step) => (step.after ?? []).every((name) => done.has(name)));
      if (index === -1) {
        // Nothing ready and nothing running would wait forever: a step waits on itself, through others.
        if (running === 0) throw new Error(`Steps wait on each other: ${pending.map((step) => step.name).join(', ')}.`);
        await stepEnded;
        continue;
      }
      const [step] = pending.splice(index, 1);
      running++;
      try {
        await step.run(session);
        done.add(step.name);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        running--;
        signal();
      }
    }
  };
  const failure = (await Promise.allSettled(sessions.map(work))).find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
