import type { BurnRateEvaluation } from './slo.math';

/** Stream `slo-<id>`: the burn-rate alerts of one SLO. */
export const sloStreamName = (sloId: string): string => `slo-${sloId}`;

export type SloAlertEvent =
  | {
      type: 'SloBurnRateAlerted';
      data: {
        sloId: string;
        taskType: string;
        rule: string;
        threshold: number;
        longBurnRate: number;
        shortBurnRate: number;
        alertedAt: string;
      };
    }
  | { type: 'SloBurnRateRecovered'; data: { sloId: string; taskType: string; rule: string; recoveredAt: string } };

export interface SloAlertState {
  /** Rules alerting now. */
  firing: readonly string[];
}

export const initialAlertState: SloAlertState = { firing: [] };

export interface EvaluateBurnRates {
  sloId: string;
  taskType: string;
  evaluations: readonly BurnRateEvaluation[];
  now: string;
}

/** An alert when a rule starts firing, a recovery when it stops; nothing while it stays as it was. */
export function decide(command: EvaluateBurnRates, state: SloAlertState): SloAlertEvent[] {
  const { sloId, taskType, now } = command;
  return command.evaluations.flatMap((evaluation): SloAlertEvent[] => {
    const was = state.firing.includes(evaluation.rule);
    if (evaluation.firing && !was) {
      return [
        {
          type: 'SloBurnRateAlerted',
          data: {
            sloId,
            taskType,
            rule: evaluation.rule,
            threshold: evaluation.threshold,
            longBurnRate: evaluation.long,
            shortBurnRate: evaluation.short,
            alertedAt: now,
          },
        },
      ];
    }
    if (!evaluation.firing && was)
      return [{ type: 'SloBurnRateRecovered', data: { sloId, taskType, rule: evaluation.rule, recoveredAt: now } }];
    return [];
  });
}

export function evolve(state: SloAlertState, event: SloAlertEvent): SloAlertState {
  switch (event.type) {
    case 'SloBurnRateAlerted':
      return { firing: [...state.firing.filter((rule) => rule !== event.data.rule), event.data.rule] };
    case 'SloBurnRateRecovered':
      return { firing: state.firing.filter((rule) => rule !== event.data.rule) };
  }
}
