import { setImmediate as tick } from 'node:timers/promises';
import { type Step, runSchedule } from './session.schedule';

// Sessions are plain names here: the schedule only hands them to the steps.
const step = (name: string, log: string[], after?: string[], fail = false): Step<string> => ({
  name,
  after,
  run: async (session) => {
    log.push(`${session} starts ${name}`);
    await tick();
    if (fail) throw new Error(`${name} failed`);
    log.push(`${session} ends ${name}`);
  },
});

describe('runSchedule', () => {
  it('starts a step only once the steps it waits for have ended, keeping both sessions busy meanwhile', async () => {
    const log: string[] = [];
    await runSchedule(
      ['s1', 's2'],
      [step('copy', log), step('index', log, ['copy']), step('other', log), step('analyze', log, ['copy', 'other'])],
    );
    const at = (entry: string): number => log.indexOf(entry);
    expect(log).toHaveLength(8);
    expect(at('s1 starts copy')).toBe(0);
    expect(at('s2 starts other')).toBe(1);
    expect(at('s1 ends copy')).toBeLessThan(log.findIndex((entry) => entry.endsWith('starts index')));
    expect(Math.max(at('s1 ends copy'), at('s2 ends other'))).toBeLessThan(
      log.findIndex((entry) => entry.endsWith('starts analyze')),
    );
  });

  it('stops taking steps after a failure and throws it once every session has stopped', async () => {
    const log: string[] = [];
    const slow: Step<string> = {
      name: 'slow',
      run: async (session) => {
        log.push(`${session} starts slow`);
        for (let i = 0; i < 5; i++) await tick();
        log.push(`${session} ends slow`);
      },
    };
    await expect(runSchedule(['s1', 's2'], [step('broken', log, [], true), slow, step('later', log)])).rejects.toThrow(
      'broken failed',
    );
    expect(log).toEqual(['s1 starts broken', 's2 starts slow', 's2 ends slow']);
  });

  it('refuses steps that wait for a step not in the schedule', async () => {
    await expect(runSchedule(['s1'], [step('index', [], ['copy'])])).rejects.toThrow("waits for 'copy'");
  });
});
