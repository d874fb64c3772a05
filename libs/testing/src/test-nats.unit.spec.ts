import { TimeoutError } from '@nats-io/transport-node';
import { onceMoreAfterHandshakeTimeout } from './test-nats';

describe('a start whose NATS handshake timed out', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());

  it('is tried once more, and says so', async () => {
    const start = jest.fn().mockRejectedValueOnce(new TimeoutError()).mockResolvedValueOnce('started');
    await expect(onceMoreAfterHandshakeTimeout('test app of x', start)).resolves.toBe('started');
    expect(start).toHaveBeenCalledTimes(2);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^test app of x: the NATS handshake timed out at .*; trying once more/);
  });

  it('fails with the second timeout, and is never tried a third time', async () => {
    const start = jest.fn().mockRejectedValue(new TimeoutError());
    await expect(onceMoreAfterHandshakeTimeout('test app of x', start)).rejects.toBeInstanceOf(TimeoutError);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('is not retried for any other failure', async () => {
    const start = jest.fn().mockRejectedValue(new Error('relation "tasks" does not exist'));
    await expect(onceMoreAfterHandshakeTimeout('test app of x', start)).rejects.toThrow('relation "tasks"');
    expect(start).toHaveBeenCalledTimes(1);
    expect(stderr).not.toHaveBeenCalled();
  });
});
