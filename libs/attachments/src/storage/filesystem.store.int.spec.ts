import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blobStoreContract } from './blob-store.contract';
import { FilesystemStore } from './filesystem.store';

describe('FilesystemStore', () => {
  let dir: string;
  blobStoreContract(
    async () => new FilesystemStore((dir = await mkdtemp(path.join(tmpdir(), 'fs-store-')))),
    async (store) => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  );
});
