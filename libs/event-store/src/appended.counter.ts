import type { EventStore, EventToAppend } from './event-store';

/** Told of every append that succeeded (a port: the event store knows nothing of metrics). */
export type AppendObserver = (streamId: string, events: readonly EventToAppend[]) => void;

/**
 * The store with `observe` told of each successful append. An idempotent repeat of an append
 * is reported again: it did reach the store.
 */
export function observingAppends(store: EventStore, observe: AppendObserver): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: Parameters<EventStore['appendToStream']>) => {
        const result = await target.appendToStream(...args);
        observe(args[0], args[1]);
        return result;
      };
    },
  });
}
