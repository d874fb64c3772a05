import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamInfo,
  type StreamUpdateConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsNames } from '../events/event-subjects';

/** JetStream forgets message ids after this long: a relay re-sending older events makes duplicates. */
export const duplicateWindowMs = 2 * 60_000;

/** How long the stream keeps an event unless told otherwise (the relay's maxAgeMs). */
export const defaultEventsMaxAgeMs = 30 * 24 * 3600_000;

/**
 * Creates the stream, or brings an existing one to these settings. Storage and retention cannot
 * change after creation; the caller is told when they differ so it can say so.
 */
export async function ensureTaskEventsStream(
  jsm: JetStreamManager,
  names: NatsNames,
  settings: { maxAgeMs?: number; replicas?: number } = {},
): Promise<{ info: StreamInfo; mismatch?: string }> {
  const { maxAgeMs = defaultEventsMaxAgeMs, replicas = 1 } = settings;
  const updatable: Partial<StreamUpdateConfig> = {
    subjects: [`${names.events}.>`],
    // A JetStream cluster keeps this many copies (NATS_STREAM_REPLICAS); changing it rescales the stream.
    num_replicas: replicas,
    description: 'taskinbox task events, relayed from the event store (message id = event id)',
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(duplicateWindowMs),
    discard: DiscardPolicy.Old,
  };
  const existing = await jsm.streams.info(names.stream).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!existing) {
    const info = await jsm.streams.add({
      name: names.stream,
      ...updatable,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    });
    return { info };
  }
  const info = await jsm.streams.update(names.stream, updatable);
  const { storage, retention } = info.config;
  const mismatch =
    storage !== StorageType.File || retention !== RetentionPolicy.Limits
      ? `stream ${names.stream} has storage '${storage}' and retention '${retention}'; expected 'file' and 'limits' (recreate it to change them)`
      : undefined;
  return { info, mismatch };
}
