import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live, behind one interface: the local filesystem for one process,
 * S3-compatible object storage for scale. Keys are chosen by the caller (content-addressed);
 * putting a key that exists replaces it with the same bytes, so a retry is harmless.
 */
export interface BlobStore {
  readonly kind: 'filesystem' | 's3';
  /** Stores the file at `sourcePath` under `key`; the source stays where it is. */
  put(key: string, sourcePath: string, contentType: string): Promise<void>;
  /** The bytes under `key`, or undefined when there are none. */
  open(key: string): Promise<{ body: Readable; sizeBytes: number } | undefined>;
  has(key: string): Promise<boolean>;
  /** Deletes `key`; deleting what is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every key under `prefix` (tests and erasure use it; not for hot paths). */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Keys are `<org>/<sha256>` and `<org>/<sha256>.<variant>`: no dots-only segments, no absolute paths. */
export const blobKey = (orgId: string, sha256: string, variant?: string): string =>
  `${orgId}/${sha256}${variant ? `.${variant}` : ''}`;

export function assertSafeKey(key: string): void {
  if (!/^[0-9a-f-]{36}\/[0-9a-f]{64}(\.[a-z0-9-]{1,20})?$/.test(key)) throw new Error(`not a blob key: ${key}`);
}
