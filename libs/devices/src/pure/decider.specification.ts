// given(...history).when(command).then(events) | .thenRejects(code) for the devices' deciders.
// Uses Jest's global expect; kept out of index.ts so production code never loads it.

interface Decider<Command, Event, State> {
  decide(command: Command, state: State): { ok: true; events: Event[] } | { ok: false; rejection: { code: string; message: string } };
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function specification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  const stateOf = (history: Event[]): State => history.reduce(decider.evolve, decider.initialState());
  return {
    stateOf,
    given: (...history: Event[]) => ({
      when: (command: Command) => {
        const result = decider.decide(command, stateOf(history));
        return {
          then: (expected: Event[]): void => expect(result).toEqual({ ok: true, events: expected }),
          thenRejects: (code: string, message?: RegExp): void => {
            const actual = result.ok ? result : { code: result.rejection.code, message: result.rejection.message };
            expect(actual).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
          },
        };
      },
    }),
  };
}
