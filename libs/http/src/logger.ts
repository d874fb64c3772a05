import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Where log lines go: stdout unless a test says otherwise. */
export interface LogOutput extends DestinationStream {
  isTTY?: boolean;
}

/**
 * Readable lines for a person at a terminal, JSON lines for everything else (a file, a pipe, a
 * log collector). Credentials and secrets are redacted wherever they appear, in both.
 */
export function createLogger(level: string, output: LogOutput = process.stdout): Logger {
  const options = {
    level,
    base: { service: 'taskinbox' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.password',
        '*.key',
        '*.secret',
        '*.accessToken',
        '*.access_token',
        '*.token',
        '*.headers',
        'password',
        'key',
        'secret',
      ],
      censor: '[redacted]',
    },
  };
  if (output.isTTY) {
    return pino(options, pretty({ destination: output, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  }
  // stdout itself through pino's own fast writer; any other stream as given.
  return pino(options, output === process.stdout ? undefined : output);
}

// Nest's start-up chatter: a line per module and per route, wanted only when debugging.
const startUpContexts = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Routes Nest's own log lines (bootstrap, routes) into the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && startUpContexts.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
