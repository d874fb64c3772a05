import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger, type LogOutput } from './logger';

/** A stand-in for stdout that keeps what is written; `isTTY` as a terminal or a pipe would say. */
function captured(isTTY: boolean): { output: LogOutput; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & LogOutput;
  stream.isTTY = isTTY;
  return { output: stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines when the output is not a terminal, secrets redacted', () => {
    const { output, text } = captured(false);
    createLogger('info', output).info({ orderId: 7, password: 'hunter2' }, 'task created');
    const line = JSON.parse(text().trim());
    expect(line).toMatchObject({ level: 30, msg: 'task created', orderId: 7, password: '[redacted]', service: 'taskinbox' });
  });

  it('writes readable lines, not JSON, at a terminal, secrets still redacted', () => {
    const { output, text } = captured(true);
    createLogger('info', output).info({ password: 'hunter2' }, 'task created');
    const written = text();
    expect(() => JSON.parse(written.trim())).toThrow();
    expect(written).toContain('task created');
    expect(written).toContain('INFO');
    expect(written).not.toContain('hunter2');
  });

  it("puts Nest's module and route mapping lines at debug, so a start at info shows none", () => {
    const { output, text } = captured(false);
    const nest = new NestPinoLogger(createLogger('info', output));
    nest.log('Mapped {/api/tasks, POST} route', 'RouterExplorer');
    nest.log('TasksController {/api/tasks}:', 'RoutesResolver');
    nest.log('IngestModule dependencies initialized', 'InstanceLoader');
    nest.log('Nest application successfully started', 'NestApplication');
    const lines = text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toEqual(['Nest application successfully started']);
  });
});
