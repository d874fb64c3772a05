import { decideOverlap, planDueSlots } from './schedule.plan';

const now = new Date('2026-05-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const due = [minutesAgo(30), minutesAgo(20), minutesAgo(10), now];
const late = due.slice(0, 3);

describe('misfire policies', () => {
  it('runs a slot that is on time whatever the policy', () => {
    for (const policy of ['skip', 'run_once', 'run_all'] as const) {
      expect(planDueSlots([now], policy, null, now)).toEqual({ run: [now], missed: [] });
    }
  });

  it('skip: records every late slot as missed and runs none of them', () => {
    expect(planDueSlots(late, 'skip', null, now)).toEqual({
      run: [],
      missed: late.map((at) => ({ at, reason: 'misfire_skipped' })),
    });
  });

  it('run_once: runs the newest late slot and records the older ones as coalesced', () => {
    expect(planDueSlots(late, 'run_once', null, now)).toEqual({
      run: [minutesAgo(10)],
      missed: [
        { at: minutesAgo(30), reason: 'misfire_coalesced' },
        { at: minutesAgo(20), reason: 'misfire_coalesced' },
      ],
    });
    // With an on-time slot due too, that one is the run.
    expect(planDueSlots(due, 'run_once', null, now).run).toEqual([now]);
    expect(planDueSlots(due, 'run_once', null, now).missed).toHaveLength(3);
  });

  it('run_all: runs every late slot, oldest first', () => {
    expect(planDueSlots(due, 'run_all', null, now)).toEqual({ run: due, missed: [] });
  });

  it('never runs a slot later than the starting deadline', () => {
    expect(planDueSlots(due, 'run_all', 15 * 60, now)).toEqual({
      run: [minutesAgo(10), now],
      missed: [
        { at: minutesAgo(30), reason: 'deadline_passed' },
        { at: minutesAgo(20), reason: 'deadline_passed' },
      ],
    });
    expect(planDueSlots(late, 'run_once', 5 * 60, now)).toEqual({
      run: [],
      missed: late.map((at) => ({ at, reason: 'deadline_passed' })),
    });
  });
});

describe('overlap policies', () => {
  it('allow: starts beside the running run', () => {
    expect(decideOverlap('allow', ['r1'])).toEqual({ start: true, replace: [] });
  });
  it('forbid: does not start while one runs', () => {
    expect(decideOverlap('forbid', ['r1'])).toEqual({ start: false, reason: 'overlap_forbidden' });
  });
  it('replace: starts and cancels the running ones', () => {
    expect(decideOverlap('replace', ['r1', 'r2'])).toEqual({ start: true, replace: ['r1', 'r2'] });
  });
  it('starts when nothing runs, whatever the policy', () => {
    for (const policy of ['allow', 'forbid', 'replace'] as const) {
      expect(decideOverlap(policy, [])).toEqual({ start: true, replace: [] });
    }
  });
});
