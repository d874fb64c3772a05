import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobStore, blobKey } from './blob.store';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function read(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** What every BlobStore must do; run against the filesystem and against a real S3-compatible server. */
export function blobStoreContract(open: () => Promise<BlobStore>, close: (store: BlobStore) => Promise<void>): void {
  let store: BlobStore;
  let dir: string;
  const file = async (bytes: Buffer) => {
    const at = path.join(dir, randomUUID());
    await writeFile(at, bytes);
    return at;
  };

  beforeAll(async () => {
    store = await open();
    dir = await mkdtemp(path.join(tmpdir(), 'blob-contract-'));
    // moto_server is Python: it may take many seconds to start on a busy machine.
  }, 120_000);
  afterAll(async () => {
    if (store) await close(store);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back exactly the bytes it was given, with their size', async () => {
    const bytes = randomBytes(300_000);
    const key = blobKey(randomUUID(), sha(bytes));
    await store.put(key, await file(bytes), 'application/octet-stream');
    const opened = await store.open(key);
    expect(opened?.sizeBytes).toBe(bytes.length);
    expect(sha(await read(opened!.body))).toBe(sha(bytes));
    expect(await store.has(key)).toBe(true);
  });

  it('round-trips a file larger than one S3 multipart part (6 MiB)', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const key = blobKey(randomUUID(), sha(bytes));
    await store.put(key, await file(bytes), 'application/octet-stream');
    expect(sha(await read((await store.open(key))!.body))).toBe(sha(bytes));
  });

  it('answers nothing for a key it does not have', async () => {
    const key = blobKey(randomUUID(), sha(randomBytes(8)));
    expect(await store.open(key)).toBeUndefined();
    expect(await store.has(key)).toBe(false);
  });

  it('putting the same key again is harmless (a retry), deleting twice too', async () => {
    const bytes = Buffer.from('same content twice');
    const key = blobKey(randomUUID(), sha(bytes));
    await store.put(key, await file(bytes), 'text/plain');
    await store.put(key, await file(bytes), 'text/plain');
    expect((await read((await store.open(key))!.body)).toString()).toBe('same content twice');
    await store.delete(key);
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    expect(await store.open(key)).toBeUndefined();
  });

  it("lists one organisation's keys, its previews included, and none of another's", async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    const bytes = randomBytes(64);
    const source = await file(bytes);
    await store.put(blobKey(mine, sha(bytes)), source, 'application/octet-stream');
    await store.put(blobKey(mine, sha(bytes), 'thumb'), source, 'image/webp');
    await store.put(blobKey(theirs, sha(bytes)), source, 'application/octet-stream');
    expect((await store.list(`${mine}/`)).sort()).toEqual([blobKey(mine, sha(bytes)), blobKey(mine, sha(bytes), 'thumb')].sort());
    expect(await store.list(`${mine}/${sha(bytes)}`)).toHaveLength(2);
  });

  it('refuses keys that are not content addresses (no path tricks)', async () => {
    const source = await file(Buffer.from('x'));
    await expect(store.put('../../etc/passwd', source, 'text/plain')).rejects.toThrow('not a blob key');
    await expect(store.open(`${randomUUID()}/../x`)).rejects.toThrow('not a blob key');
  });
}
