import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills documented defaults and freezes the result', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/taskinbox');
    expect(config.eventStore).toEqual({ kind: 'postgres' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ JWT_SECRET: 'short', HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://x', EVENT_STORE: 'eventstoredb' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toEqual(
        expect.arrayContaining([
          'JWT_SECRET must be at least 32 characters',
          "HTTP_PORT must be an integer from 0 to 65535, got 'eighty'",
          "DATABASE_URL must use postgres: or postgresql:, got 'mysql://x'",
          'EVENTSTORE_URL is required',
        ]),
      );
    }
  });
});
