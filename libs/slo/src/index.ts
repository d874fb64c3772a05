export { SloModule, type SloOptions } from './slo.module';
export { SloAlertTimer } from './alerts/slo-alert.timer';
export { SloStatusService } from './slos/slo-status.service';
export { SloService } from './slos/slo.service';
export { type SloAlertEvent, sloStreamName } from './pure/slo-alert.decider';
export { attainment, burnRate, evaluateBurnRates, pagingRules, type SliEvent } from './pure/slo.math';
