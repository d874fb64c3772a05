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

/** JetStream forgets message ids after this long: a relay re-sending older events makes duplicates. */
export const duplicateWindowMs = 2 * 60_000;

export interface TaskEventsStreamSettings {
  name: string;
  subjectPrefix: string;
  maxAgeMs: number;
}

/**
 * Creates the stream, or brings an existing one to these settings. Storage and retention cannot
 * change after creation; the caller is told when they differ so it can say so.
 */
export async function ensureTaskEventsStream(
  jsm: JetStreamManager,
  settings: TaskEventsStreamSettings,
): Promise<{ info: StreamInfo; mismatch?: string }> {
  const updatable: Partial<StreamUpdateConfig> = {
    subjects: [`${settings.subjectPrefix}.>`],
    description: 'taskinbox task events, relayed from the event store (message id = event id)',
    max_age: nanos(settings.maxAgeMs),
    duplicate_window: nanos(duplicateWindowMs),
    discard: DiscardPolicy.Old,
  };
  const existing = await jsm.streams.info(settings.name).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!existing) {
    const info = await jsm.streams.add({
      name: settings.name,
      ...updatable,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    });
    return { info };
  }
  const info = await jsm.streams.update(settings.name, updatable);
  const { storage, retention } = info.config;
  const mismatch =
    storage !== StorageType.File || retention !== RetentionPolicy.Limits
      ? `stream ${settings.name} has storage '${storage}' and retention '${retention}'; expected 'file' and 'limits' (recreate it to change them)`
      : undefined;
  return { info, mismatch };
}
