import { CallBatcher } from './call.batcher';

describe('CallBatcher', () => {
  it('runs calls of one tick together and returns each its own output', async () => {
    const runs: number[][] = [];
    const batcher = new CallBatcher(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((input) => input * 10);
    }, 100);
    await expect(Promise.all([1, 2, 3].map((input) => batcher.call(input)))).resolves.toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('keeps one run in flight, batches what arrives meanwhile, and respects the size cap', async () => {
    const runs: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new CallBatcher(async (inputs: number[]) => {
      runs.push(inputs);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return inputs;
    }, 2);
    const first = batcher.call(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((input) => batcher.call(input));
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual([[1]]);
    release();
    await expect(Promise.all([first, ...rest])).resolves.toEqual([1, 2, 3, 4]);
    expect(runs).toEqual([[1], [2, 3], [4]]);
  });

  it('runs up to maxRunning batches side by side when asked to', async () => {
    const runs: number[][] = [];
    const releases: (() => void)[] = [];
    const batcher = new CallBatcher(
      async (inputs: number[]) => {
        runs.push(inputs);
        await new Promise<void>((resolve) => releases.push(resolve));
        return inputs;
      },
      10,
      2,
    );
    const calls = [batcher.call(1)];
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(batcher.call(2));
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(batcher.call(3));
    await new Promise((resolve) => setImmediate(resolve));
    // Two runs in flight; the third call waits for one of them to finish.
    expect(runs).toEqual([[1], [2]]);
    releases[0]();
    await calls[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual([[1], [2], [3]]);
    releases[1]();
    releases[2]();
    await expect(Promise.all(calls)).resolves.toEqual([1, 2, 3]);
  });

  it('rejects every call of a failed run, and later calls still run', async () => {
    let fail = true;
    const batcher = new CallBatcher(async (inputs: number[]) => {
      if (fail) throw new Error('down');
      return inputs;
    }, 10);
    await expect(Promise.all([batcher.call(1), batcher.call(2)])).rejects.toThrow('down');
    fail = false;
    await expect(batcher.call(3)).resolves.toBe(3);
  });
});
