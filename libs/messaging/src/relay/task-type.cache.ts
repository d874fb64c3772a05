import type { EventStore, RecordedEvent } from '@taskinbox/event-store';
import { createdTaskType } from '../events/event-envelope';

/**
 * Task id → task type for the subjects of events after TaskCreated. Fed by the TaskCreated
 * events the relay passes; a task it has not seen (after a restart, or evicted) is looked up
 * in the first event of its stream. Bounded, least recently used out first.
 */
export class TaskTypeCache {
  private readonly types = new Map<string, string>();

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly capacity = 10_000,
  ) {}

  /** The task type of the task `event` belongs to; undefined if its stream does not start with TaskCreated. */
  async typeOf(event: RecordedEvent): Promise<string | undefined> {
    const created = createdTaskType(event);
    if (created !== undefined) {
      this.remember(event.streamId, created);
      return created;
    }
    const known = this.types.get(event.streamId);
    if (known !== undefined) {
      this.remember(event.streamId, known);
      return known;
    }
    const [first] = await this.store.readStream(event.streamId, { maxCount: 1 });
    const read = first ? createdTaskType(first) : undefined;
    if (read !== undefined) this.remember(event.streamId, read);
    return read;
  }

  private remember(streamId: string, taskType: string): void {
    // Re-inserting moves the key to the end of the Map's order: the oldest key is the least recently used.
    this.types.delete(streamId);
    this.types.set(streamId, taskType);
    if (this.types.size > this.capacity) this.types.delete(this.types.keys().next().value as string);
  }
}
