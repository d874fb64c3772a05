// The version each task's next read must reflect: after the person's own command (its answer's
// version), after a live change (the event's revision), or after a lost claim (one past what was
// shown). The inbox passes these as waitFor and the task page as minVersion, so a read model a
// moment behind never shows the past. Entries go once a read has shown them, or after a while.

const expected = new Map<string, { version: number; at: number }>();
const forgetAfterMs = 10_000;
const mostPerRead = 20; // the inbox API's limit for waitFor

/** The next read of the task waits (briefly) until the read model has reached `version`. */
export function expectTaskVersion(taskId: string, version: number): void {
  const known = expected.get(taskId)?.version ?? -1;
  expected.set(taskId, { version: Math.max(version, known), at: Date.now() });
}

export function expectedVersion(taskId: string): number | undefined {
  forgetOld();
  return expected.get(taskId)?.version;
}

/** The inbox's waitFor: the most recent expectations, as '<taskId>:<version>'. */
export function versionsToWaitFor(): string[] {
  forgetOld();
  return [...expected].slice(-mostPerRead).map(([taskId, { version }]) => `${taskId}:${version}`);
}

/** A read showed the task at `version`: what was expected up to there is satisfied. */
export function sawTaskVersion(taskId: string, version: number): void {
  const entry = expected.get(taskId);
  if (entry && entry.version <= version) expected.delete(taskId);
}

function forgetOld(): void {
  const cutoff = Date.now() - forgetAfterMs;
  for (const [taskId, entry] of expected) if (entry.at < cutoff) expected.delete(taskId);
}
