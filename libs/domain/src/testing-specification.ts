import type { TaskCommand } from './task.commands';
import { decide, evolve, initialState, type Task } from './task.decider';
import type { TaskRejection, TaskRejectionCode } from './task.errors';
import type { TaskEvent } from './task.events';

// given(...history).when(command).then(events) | .thenRejects(codeOrRejection) for decider specs.
// Uses Jest's global expect only; kept out of index.ts so production code never loads it.

export const stateOf = (...history: TaskEvent[]): Task => history.reduce(evolve, initialState());

export const given = (...history: TaskEvent[]) => ({
  when: (command: TaskCommand) => {
    const result = decide(command, stateOf(...history));
    return {
      then: (expected: TaskEvent[]): void => {
        expect(result).toEqual({ ok: true, events: expected });
      },
      /** A code checks only the kind; a rejection value also checks its message. */
      thenRejects: (expected: TaskRejectionCode | TaskRejection): void => {
        const actual = result.ok ? result : { code: result.rejection.code, message: result.rejection.message };
        expect(actual).toEqual(
          typeof expected === 'string'
            ? { code: expected, message: expect.any(String) }
            : { code: expected.code, message: expected.message },
        );
      },
    };
  },
});
