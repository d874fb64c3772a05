import { stringify } from 'yaml';

export interface SloDefinition {
  id: string;
  name: string;
  taskType: string;
  /** 0 < target < 1, e.g. 0.95 */
  target: number;
  withinBusinessHours: number;
  windowDays: number;
}

/**
 * The SLO as an OpenSLO v1 document. OpenSLO has no business-hours calendar, so the SLI's good
 * events are computed here (in the organisation's working hours) and the calendar is named in
 * annotations.
 */
export function toOpenSlo(slo: SloDefinition): Record<string, unknown> {
  const resolved = `tasks of type ${slo.taskType} completed in the window, and open ones already past ${slo.withinBusinessHours} business hours`;
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: {
      name: `slo-${slo.id}`,
      displayName: slo.name,
      annotations: {
        'taskinbox.dev/task-type': slo.taskType,
        'taskinbox.dev/within-business-hours': String(slo.withinBusinessHours),
        'taskinbox.dev/calendar': "the organisation's working hours; time waiting on the end user does not count",
      },
    },
    spec: {
      description: `${formatPercent(slo.target)} of ${slo.taskType} tasks resolved within ${slo.withinBusinessHours} business hours over ${slo.windowDays} days`,
      service: `taskinbox/${slo.taskType}`,
      indicator: {
        metadata: { name: `slo-${slo.id}-resolution` },
        spec: {
          ratioMetric: {
            counter: true,
            good: {
              metricSource: {
                type: 'taskinbox',
                spec: {
                  query: `tasks of type ${slo.taskType} completed within ${slo.withinBusinessHours} business hours`,
                },
              },
            },
            total: { metricSource: { type: 'taskinbox', spec: { query: resolved } } },
          },
        },
      },
      timeWindow: [{ duration: `${slo.windowDays}d`, isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [
        {
          displayName: `${formatPercent(slo.target)} within ${slo.withinBusinessHours} business hours`,
          target: slo.target,
        },
      ],
    },
  };
}

export const toOpenSloYaml = (slo: SloDefinition): string => stringify(toOpenSlo(slo));

const formatPercent = (target: number): string => `${Math.round(target * 100000) / 1000}%`;
