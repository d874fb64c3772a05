import type { Query, QueryClient } from '@tanstack/react-query';

/**
 * Query meta for data that says which log position it was read at (the inbox's pages do). A
 * type, not an interface: React Query's meta is a Record, which an interface does not satisfy.
 */
export type LogPositionMeta = {
  logPosition: (data: unknown) => string | undefined;
};

const retryBehindMs = 250;
const maxReads = 20;

/**
 * The live stream has no replay: a change made before it opened (while offline, or between a
 * page's first read and the stream's first open, slow on a busy phone) reaches the page only by
 * reading it again. The stream's `ready` event names the log's last position when it subscribed.
 * Then every cached query is read again, except one whose data says it was read at or past that
 * position (the inbox: on a quiet queue its first page is read once, not twice). A query with a
 * position that is behind is read until it is not, because the projector may not yet have reached
 * a change the relay had already sent; so is one whose read finishes behind later (the inbox's
 * first page, read after the stream opened but before the projector caught up).
 */
export class CatchUpReads {
  /**
   * Where the log is known to have reached: the last ready event's position, or a later live
   * event's. Undefined before the first ready, null when the server could not tell.
   */
  private readyAt: string | null | undefined;
  /** The furthest live event seen, also before the first ready (events may come first). */
  private seen: string | undefined;
  private readonly chasing = new Set<Query>();
  /** Queries a later ready event found still being read: their read may predate it, so they go again. */
  private readonly again = new Set<Query>();
  /**
   * Queries still behind after 20 reads (the projector is stalled): not chased again until the
   * next ready event, or every later read of theirs would start 20 more.
   */
  private readonly gaveUp = new Set<Query>();
  private stopped = false;

  constructor(private readonly queries: QueryClient) {}

  /** Follows reads that finish behind the stream's start; returns the function that stops all of it. */
  watch(): () => void {
    const unsubscribe = this.queries.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      if (this.chasing.has(event.query) || this.gaveUp.has(event.query)) return;
      const position = positionOf(event.query);
      if (typeof this.readyAt === 'string' && position !== undefined && position < this.readyAt) this.chase(event.query);
    });
    return () => {
      this.stopped = true;
      unsubscribe();
    };
  }

  /** The stream is subscribed; `position` is the log's last position then (null: unknown). */
  ready(position: string | null): void {
    this.readyAt = position === null ? null : later(position, this.seen);
    this.gaveUp.clear();
    for (const query of this.queries.getQueryCache().getAll()) {
      if (this.chasing.has(query)) this.again.add(query);
      else this.chase(query);
    }
  }

  /**
   * A live event at `position` arrived. A page that reads behind it afterwards is read again: the
   * event reached no listener of that page if it had not mounted yet (its script still loading),
   * and its first read may come before the projector has the change.
   */
  saw(position: string): void {
    this.seen = later(position, this.seen);
    if (typeof this.readyAt === 'string') this.readyAt = later(position, this.readyAt);
  }

  private chase(query: Query): void {
    this.chasing.add(query);
    void this.readUntilCurrent(query).finally(() => {
      this.chasing.delete(query);
      if (this.again.delete(query) && !this.stopped) this.chase(query);
    });
  }

  /**
   * Once when the query's data does not say where it was read (or the stream could not tell),
   * else until it is at or past the ready position, up to 20 reads. A read under way is left to
   * finish, never cancelled: that would hold a page's first rows back by a whole round trip
   * whenever the stream opens while they load.
   */
  private async readUntilCurrent(query: Query): Promise<void> {
    for (let reads = 0; reads < maxReads; reads++) {
      if (reads > 0) {
        // Without a position to compare (the stream could not tell, the data does not say: an
        // empty inbox page), or with no one watching it (marked stale, read on next use), one read is all.
        if (typeof this.readyAt !== 'string' || positionOf(query) === undefined || query.getObserversCount() === 0) return;
        await new Promise((resolve) => setTimeout(resolve, retryBehindMs));
      }
      if (this.stopped || !(await settled(this.queries, query)) || this.current(query)) return;
      await this.queries.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
    }
    this.gaveUp.add(query);
  }

  private current(query: Query): boolean {
    const position = positionOf(query);
    return typeof this.readyAt === 'string' && position !== undefined && position >= this.readyAt;
  }
}

const later = (a: string, b: string | undefined): string => (b !== undefined && b > a ? b : a);

function positionOf(query: Query): string | undefined {
  const read = (query.meta as Partial<LogPositionMeta> | undefined)?.logPosition;
  return read && query.state.data !== undefined ? read(query.state.data) : undefined;
}

/** Resolves once `query` is not fetching: true, or false when it left the cache meanwhile. */
function settled(queries: QueryClient, query: Query): Promise<boolean> {
  if (query.state.fetchStatus !== 'fetching') return Promise.resolve(true);
  return new Promise((resolve) => {
    const stop = queries.getQueryCache().subscribe((event) => {
      if (event.query !== query) return;
      if (event.type === 'removed') {
        stop();
        resolve(false);
      } else if (query.state.fetchStatus !== 'fetching') {
        stop();
        resolve(true);
      }
    });
  });
}
