import { v7 as uuidv7 } from 'uuid';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@taskinbox/event-store';
import { runEventId } from '@taskinbox/device-protocol';
import { DeviceCommandRefused } from './devices.errors';
import {
  type Device,
  type DeviceCommand,
  deviceDecider,
  type DeviceEvent,
  deviceStreamName,
  type Run,
  type RunCommand,
  runDecider,
  type RunEvent,
  runStreamName,
} from './pure';

/** Who caused an append: the organisation it belongs to, the actor (`user:<id>`, `device:<id>`), the request. */
export interface AppendContext {
  orgId: string;
  actor: string;
  correlationId: string;
}

interface Decider<C, E, S> {
  decide(command: C, state: S): { ok: true; events: E[] } | { ok: false; rejection: { code: string; message: string } };
  evolve(state: S, event: E): S;
  initialState(): S;
}

const maxAttempts = 20;

/**
 * Runs and devices in the event store: load the stream, decide one or more commands on it in
 * turn, append what they decided at the revision that was read; decided again on fresh state
 * when another writer came first. Events that may happen only once in a stream get ids derived
 * from it, so even a retried append of them is recorded once.
 */
class AggregateStore<C, E extends { type: string; data: unknown }, S> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<C, E, S>,
    private readonly streamOf: (id: string) => string,
    private readonly onceKey: (event: E) => string | undefined,
  ) {}

  async load(id: string): Promise<{ state: S; revision: bigint | undefined }> {
    const recorded = await this.store.readStream(this.streamOf(id));
    const state = recorded.map(asEvent<E>).reduce(this.decider.evolve, this.decider.initialState());
    return { state, revision: recorded.length > 0 ? recorded[recorded.length - 1].revision : undefined };
  }

  /**
   * `commands` sees the current state (to check who may act) and answers what to decide; a
   * rejection is thrown as DeviceCommandRefused and nothing is appended.
   */
  async execute(
    id: string,
    context: (state: S) => AppendContext,
    commands: (state: S) => C[],
  ): Promise<{ state: S; events: E[] }> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(id);
      const revision = loaded.revision;
      let state = loaded.state;
      const events: E[] = [];
      for (const command of commands(state)) {
        const result = this.decider.decide(command, state);
        if (!result.ok) throw new DeviceCommandRefused(result.rejection as never);
        for (const event of result.events) {
          state = this.decider.evolve(state, event);
          events.push(event);
        }
      }
      if (events.length === 0) return { state, events };
      const { orgId, actor, correlationId } = context(state);
      try {
        await this.store.appendToStream(
          this.streamOf(id),
          events.map((event) => {
            const key = this.onceKey(event);
            return {
              id: key ? runEventId(id, key) : uuidv7(),
              type: event.type,
              data: event.data,
              metadata: { orgId, actor, correlationId },
            };
          }),
          { expectedRevision: revision ?? 'no_stream' },
        );
        return { state, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      }
    }
  }
}

const asEvent = <E>(recorded: RecordedEvent): E => ({ type: recorded.type, data: recorded.data }) as E;

export type RunStore = AggregateStore<RunCommand, RunEvent, Run>;
export type DeviceStore = AggregateStore<DeviceCommand, DeviceEvent, Device>;

export function runStore(store: EventStore): RunStore {
  return new AggregateStore(store, runDecider, runStreamName, (event) =>
    event.type === 'ActionFinished' ? `ActionFinished:${event.data.index}` : event.type,
  );
}

export function deviceStore(store: EventStore): DeviceStore {
  return new AggregateStore(store, deviceDecider, deviceStreamName, (event) =>
    event.type === 'DeviceEnrolled' || event.type === 'DeviceUnenrolled' ? event.type : undefined,
  );
}
