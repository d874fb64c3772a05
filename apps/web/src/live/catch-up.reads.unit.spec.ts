import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { CatchUpReads, type LogPositionMeta } from './catch-up.reads';

// A real QueryClient and observers (as mounted pages would hold), with query functions that count
// their reads and answer what the test says the server has.
const positioned: LogPositionMeta = { logPosition: (data) => (data as { position: string | null }).position ?? undefined };

let client: QueryClient;
let stops: (() => void)[];

beforeEach(() => {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  stops = [];
});
afterEach(() => {
  for (const stop of stops) stop();
  client.clear();
});

/** Catch-up reads following the client's cache, stopped after the test. */
function watching(): CatchUpReads {
  const catchUp = new CatchUpReads(client);
  stops.push(catchUp.watch());
  return catchUp;
}

/** A watched query: `answer()` is what each read returns. */
function watched(key: string, answer: () => unknown, meta?: LogPositionMeta) {
  let reads = 0;
  const observer = new QueryObserver(client, {
    queryKey: [key],
    queryFn: async () => {
      reads++;
      return answer();
    },
    meta,
  });
  stops.push(observer.subscribe(() => undefined));
  return { reads: () => reads, data: () => observer.getCurrentResult().data };
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('reads after the live stream opens', () => {
  it('reads again what does not say where it was read, and leaves what was read at or past the ready position', async () => {
    const catchUp = watching();
    const inbox = watched('inbox', () => ({ position: 'p5' }), positioned);
    const me = watched('me', () => ({ name: 'Ada' }));
    await until(() => inbox.reads() === 1 && me.reads() === 1);

    catchUp.ready('p5');
    await until(() => me.reads() === 2);
    await settle();
    expect(inbox.reads()).toBe(1);
  });

  it('reads a query that is behind until it has caught up with the ready position', async () => {
    const catchUp = watching();
    let projected = 3;
    const inbox = watched('inbox', () => ({ position: `p${Math.min(projected++, 6)}` }), positioned);
    await until(() => inbox.reads() === 1);

    catchUp.ready('p6');
    await until(() => (inbox.data() as { position: string } | undefined)?.position === 'p6');
    const reads = inbox.reads();
    await settle();
    expect(reads).toBe(4);
    expect(inbox.reads()).toBe(reads);
  });

  it('reads again a query whose first read finishes behind after the stream opened', async () => {
    const catchUp = watching();
    catchUp.ready('p2');
    let projected = 1;
    const inbox = watched('inbox', () => ({ position: `p${projected++}` }), positioned);
    await until(() => (inbox.data() as { position: string } | undefined)?.position === 'p2');
    await settle();
    expect(inbox.reads()).toBe(2);
  });

  it('reads everything once when the server could not tell where the log stood', async () => {
    const catchUp = watching();
    const inbox = watched('inbox', () => ({ position: 'p1' }), positioned);
    await until(() => inbox.reads() === 1);
    catchUp.ready(null);
    await until(() => inbox.reads() === 2);
    await settle();
    expect(inbox.reads()).toBe(2);
  });

  it('reads a page that does not say where it was read (an empty inbox page) once, not over and over', async () => {
    const catchUp = watching();
    const inbox = watched('inbox', () => ({ position: null }), positioned);
    await until(() => inbox.reads() === 1);
    catchUp.ready('p3');
    await until(() => inbox.reads() === 2);
    await settle();
    expect(inbox.reads()).toBe(2);
  });

  it('gives up on a query the projector does not catch up with, until the next ready event', async () => {
    const catchUp = watching();
    const inbox = watched('inbox', () => ({ position: 'p1' }), positioned);
    await until(() => inbox.reads() === 1);
    catchUp.ready('p9');
    await until(() => inbox.reads() === 21);
    await settle();
    expect(inbox.reads()).toBe(21);

    // A later read (a live change's refresh) that is still behind starts no new chase.
    await client.invalidateQueries({ queryKey: ['inbox'] });
    await settle();
    expect(inbox.reads()).toBe(22);

    catchUp.ready('p9');
    await until(() => inbox.reads() > 22);
  }, 20_000);

  it('reads nothing more once stopped', async () => {
    const catchUp = new CatchUpReads(client);
    const stop = catchUp.watch();
    const inbox = watched('inbox', () => ({ position: 'p1' }), positioned);
    await until(() => inbox.reads() === 1);
    catchUp.ready('p9');
    await until(() => inbox.reads() === 2);
    stop();
    const reads = inbox.reads();
    await settle();
    expect(inbox.reads()).toBeLessThanOrEqual(reads + 1);
    const after = inbox.reads();
    await settle();
    expect(inbox.reads()).toBe(after);
  });

  it('reads again a page that mounts after a live event and reads behind it', async () => {
    const catchUp = watching();
    catchUp.ready('p2');
    catchUp.saw('p4');
    let projected = 3;
    const inbox = watched('inbox', () => ({ position: `p${projected++}` }), positioned);
    await until(() => (inbox.data() as { position: string } | undefined)?.position === 'p4');
    await settle();
    expect(inbox.reads()).toBe(2);
  });
});
