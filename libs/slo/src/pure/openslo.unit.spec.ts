import { parse } from 'yaml';
import { toOpenSloYaml } from './openslo';

it('exports "95% of refunds within 4 business hours over 30 days" as an OpenSLO v1 SLO with a ratio indicator', () => {
  const document = parse(
    toOpenSloYaml({
      id: 'abc',
      name: 'Refunds fast',
      taskType: 'refund',
      target: 0.95,
      withinBusinessHours: 4,
      windowDays: 30,
    }),
  );
  expect(document).toMatchObject({
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'slo-abc', displayName: 'Refunds fast', annotations: { 'taskinbox.dev/task-type': 'refund' } },
    spec: {
      service: 'taskinbox/refund',
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '30d', isRolling: true }],
      objectives: [{ target: 0.95, displayName: '95% within 4 business hours' }],
      indicator: { spec: { ratioMetric: { counter: true } } },
    },
  });
  expect(document.spec.indicator.spec.ratioMetric.good.metricSource.spec.query).toBe(
    'tasks of type refund completed within 4 business hours',
  );
});
