export { UrgencyModule, type UrgencyOptions } from './urgency.module';
export { UrgencyEvaluator } from './urgency.evaluator';
export { evaluateUrgency, type Urgency, type UrgencyLevel, urgencyLevels, urgencyRank } from './pure/urgency.rules';
