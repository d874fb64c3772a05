import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type BlobStore, assertSafeKey } from './blob.store';

/** Bytes as files under one directory, `<dir>/<org>/<sha256>[.<variant>]`; written whole, then renamed into place. */
export class FilesystemStore implements BlobStore {
  readonly kind = 'filesystem' as const;

  constructor(private readonly dir: string) {}

  async put(key: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // A copy beside the target, then rename: a reader never sees half a file.
    const partial = `${target}.${randomUUID()}.partial`;
    try {
      await copyFile(sourcePath, partial);
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
  }

  async open(key: string) {
    const file = this.pathOf(key);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { body: createReadStream(file), sizeBytes: info.size };
  }

  async has(key: string): Promise<boolean> {
    return (await stat(this.pathOf(key)).catch(() => undefined))?.isFile() ?? false;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const [org, rest = ''] = prefix.split('/');
    const names = await readdir(path.join(this.dir, org)).catch(() => [] as string[]);
    return names.filter((name) => name.startsWith(rest) && !name.endsWith('.partial')).map((name) => `${org}/${name}`);
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    assertSafeKey(key);
    return path.join(this.dir, key);
  }
}
