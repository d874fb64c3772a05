import { decide, evolve, initialAlertState, type SloAlertState } from './slo-alert.decider';
import type { BurnRateEvaluation } from './slo.math';

const evaluation = (rule: string, firing: boolean): BurnRateEvaluation => ({
  rule,
  threshold: 14.4,
  long: firing ? 20 : 1,
  short: firing ? 30 : 1,
  events: 10,
  firing,
});
const command = (...evaluations: BurnRateEvaluation[]) => ({
  sloId: 's1',
  taskType: 'refund',
  evaluations,
  now: '2026-03-02T12:00:00.000Z',
});

it('alerts once when a rule starts firing, stays quiet while it fires, and recovers when it stops', () => {
  const first = decide(command(evaluation('fast', true), evaluation('slow', false)), initialAlertState);
  expect(first).toEqual([
    {
      type: 'SloBurnRateAlerted',
      data: {
        sloId: 's1',
        taskType: 'refund',
        rule: 'fast',
        threshold: 14.4,
        longBurnRate: 20,
        shortBurnRate: 30,
        alertedAt: '2026-03-02T12:00:00.000Z',
      },
    },
  ]);
  const firing: SloAlertState = first.reduce(evolve, initialAlertState);
  expect(firing.firing).toEqual(['fast']);
  expect(decide(command(evaluation('fast', true), evaluation('slow', false)), firing)).toEqual([]);
  const recovered = decide(command(evaluation('fast', false), evaluation('slow', false)), firing);
  expect(recovered).toEqual([
    {
      type: 'SloBurnRateRecovered',
      data: { sloId: 's1', taskType: 'refund', rule: 'fast', recoveredAt: '2026-03-02T12:00:00.000Z' },
    },
  ]);
  expect(recovered.reduce(evolve, firing).firing).toEqual([]);
});
