/**
 * Reads a test nats-server's debug log (timestamped) for what made clients wait: connections
 * whose handshake took longer than `slowMs` from accept to authentication, and stretches of
 * `slowMs` or more in which the server logged nothing at all. Some CI runs saw handshakes sit
 * for 20 s; the run's summary names them, with the lines around them, instead of a bare timeout.
 */
export interface SlowHandshake {
  cid: string;
  name: string;
  acceptedAt: string;
  ms: number;
}

export interface LogReview {
  slowHandshakes: SlowHandshake[];
  silences: { from: string; ms: number; before: string; after: string }[];
}

const stamped = /^\[\d+\] \S+ (\d\d):(\d\d):(\d\d\.\d+) \[(\w+)\] (.*)$/;
// A client line: address, cid, then (once it sent CONNECT) "version:lang:name", then the message.
const client = /^\S+ - cid:(\d+) - (?:"[^":]*:[^":]*(?::([^"]*))?" - )?(.*)$/;

export function reviewNatsLog(text: string, slowMs = 5000): LogReview {
  const accepted = new Map<string, { at: number; clock: string }>();
  const review: LogReview = { slowHandshakes: [], silences: [] };
  let previous: { at: number; clock: string; line: string } | undefined;
  for (const line of text.split('\n')) {
    const m = stamped.exec(line);
    if (!m) continue;
    const at = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
    const clock = `${m[1]}:${m[2]}:${m[3].slice(0, 6)}`;
    if (previous && at - previous.at >= slowMs)
      review.silences.push({ from: previous.clock, ms: Math.round(at - previous.at), before: previous.line, after: line });
    previous = { at, clock, line };
    const c = client.exec(m[5]);
    if (!c) continue;
    const [, cid, name, rest] = c;
    if (rest.startsWith('Client connection created')) accepted.set(cid, { at, clock });
    else if (rest.startsWith('Authenticated') || rest.startsWith('Client connection closed')) {
      const start = accepted.get(cid);
      accepted.delete(cid);
      // The server gave up on a client that sent no CONNECT in time: named whatever the wait.
      if (start && (at - start.at >= slowMs || rest.includes('Authentication Timeout')))
        review.slowHandshakes.push({ cid, name: name ?? '?', acceptedAt: start.clock, ms: Math.round(at - start.at) });
    }
  }
  return review;
}

/** A few lines for the test run's output (with the handshake watch's findings), or nothing when nobody waited. */
export function describeReview(review: LogReview, watched: string[] = []): string {
  const lines = [
    ...watched.map((w) => `  ${w}`),
    ...review.slowHandshakes.map((h) => `  cid ${h.cid} (${h.name}) accepted at ${h.acceptedAt}: authenticated or closed after ${h.ms} ms`),
    ...review.silences.map((s) => `  nothing logged for ${s.ms} ms from ${s.from}\n    before: ${s.before}\n    after:  ${s.after}`),
  ];
  return lines.length ? `test nats-server made clients wait:\n${lines.slice(0, 20).join('\n')}\n` : '';
}

/**
 * From the Jest parent process, which is idle while workers test: an authenticated handshake to
 * the run's server every 2 s, and a note of each that took longer than `slowMs` or failed. A
 * stall that also shows here is the server's or the machine's, not a busy test worker's.
 */
export function watchHandshakes(connectOnce: () => Promise<{ close(): Promise<void> }>, slowMs = 2000) {
  const notes: string[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async (): Promise<void> => {
    const started = Date.now();
    try {
      const nc = await connectOnce();
      await nc.close();
      if (Date.now() - started > slowMs) notes.push(`watch: handshake at ${new Date(started).toISOString()} took ${Date.now() - started} ms`);
    } catch (error) {
      notes.push(`watch: handshake at ${new Date(started).toISOString()} failed after ${Date.now() - started} ms: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void round(), 2000);
  };
  timer = setTimeout(() => void round(), 2000);
  return {
    notes,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
