import { Pause } from './pause';

describe('Pause', () => {
  it('ends after its time, or at once when ended; ending with no wait under way does nothing', async () => {
    const pause = new Pause();
    pause.end();
    const started = Date.now();
    await pause.wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const long = pause.wait(60_000);
    pause.end();
    await expect(long).resolves.toBeUndefined();
  });
});
