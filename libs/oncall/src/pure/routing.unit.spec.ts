import { escalationDue, firstMatch, type RoutingRule } from './routing';

const target = { kind: 'group' as const, id: 'g' };
const rule = (id: string, match: RoutingRule['match']): RoutingRule => ({ id, match, target, escalation: [] });

describe('routing rules', () => {
  const rules = [
    rule('urgent-refunds', { taskTypes: ['refund'], priorities: ['urgent'] }),
    rule('vip', { tags: ['vip', 'enterprise'] }),
    rule('everything', {}),
  ];

  it('picks the first rule whose every given list matches', () => {
    expect(firstMatch(rules, { taskType: 'refund', priority: 'urgent' })?.id).toBe('urgent-refunds');
    expect(firstMatch(rules, { taskType: 'refund', priority: 'high', tags: ['enterprise'] })?.id).toBe('vip');
    expect(firstMatch(rules, { taskType: 'refund' })?.id).toBe('everything');
  });

  it('counts a task without a priority as normal, and matches nothing when no rule fits', () => {
    expect(firstMatch([rule('normal', { priorities: ['normal'] })], { taskType: 'x' })?.id).toBe('normal');
    expect(firstMatch(rules.slice(0, 2), { taskType: 'flag', tags: ['spam'] })).toBeUndefined();
  });

  it('dates each escalation step after the previous one, and none past the last', () => {
    const steps = [
      { afterMinutes: 15, target },
      { afterMinutes: 30, target },
    ];
    expect(escalationDue(steps, 0, 0)).toBe(15 * 60_000);
    expect(escalationDue(steps, 1, 1000)).toBe(1000 + 30 * 60_000);
    expect(escalationDue(steps, 2, 0)).toBeNull();
  });
});
