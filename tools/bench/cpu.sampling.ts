import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';

/** Starts sampling the thread of `session` (connected) every 0.5 ms. */
export async function startSampling(session: Session): Promise<void> {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
}

/** Stops sampling and writes the profile to `file` (a .cpuprofile, for cpu-profile.summary.ts or DevTools). */
export async function stopSampling(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
}
