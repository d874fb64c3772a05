import { Session } from 'node:inspector/promises';
import { startSampling, stopSampling } from './cpu.sampling';

// Preloaded into a bench's server child (node --require): samples its CPU only between the
// parent's 'cpu-profile:start' and 'cpu-profile:stop' messages, so start-up and warm-up stay out.
// The profile goes to the file the stop message names; the parent summarises it (cpu-profile.summary.ts).

type Message = { type: 'cpu-profile:start' } | { type: 'cpu-profile:stop'; file: string };

const session = new Session();
session.connect();

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'cpu-profile:start') {
      await startSampling(session);
      process.send?.({ type: 'cpu-profile:started' });
    } else if (message.type === 'cpu-profile:stop') {
      await stopSampling(session, message.file);
      process.send?.({ type: 'cpu-profile:written' });
    }
  })();
});
// The IPC channel must not keep a server alive that is asked to stop.
process.channel?.unref();
