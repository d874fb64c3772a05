import type { Pool } from 'pg';
import type { PeopleDirectory, Principal } from '@taskinbox/auth';
import type { Actor, AssigneeRef, TaskEvent } from '@taskinbox/domain';
import type { RecordedEvent } from '@taskinbox/event-store';
import { RejectedCommand } from '@taskinbox/http';
import { taskChanges, type TaskCommandHandler } from '@taskinbox/ingest';
import type { Clock } from '../oncall.clock';
import { escalationDue, type EscalationStep, firstMatch, type RouteTarget } from '../pure';
import type { ScheduleService } from '../schedules/schedule.service';
import type { RoutingRuleService } from './routing-rule.service';

type Created = Extract<TaskEvent, { type: 'TaskCreated' }>['data'];
type RoutingRuleRow = Awaited<ReturnType<RoutingRuleService['load']>>[number];

/** taskinbox itself, acting on an organisation's routing rules: assignees of routed and escalated tasks. */
export const routingActor: Actor = { kind: 'system', id: 'oncall-routing', name: 'on-call routing' };
export const escalationActor: Actor = { kind: 'system', id: 'oncall-escalation', name: 'on-call escalation' };

interface RoutingRow {
  task_id: string;
  org_id: string;
  escalation: EscalationStep[];
  step: number;
  assigned: AssigneeRef[][];
}

/**
 * Sends new tasks where the organisation's first matching rule says, through the assignment
 * command (actor: the system), and takes the rule's escalation steps while the task stays
 * unclaimed. The routing row remembers whom each step chose, so handling an event again (the
 * log is followed at least once) assigns the same people, and it holds the next step's due
 * time, so escalation survives restarts.
 */
export class TaskRouter {
  constructor(
    private readonly pool: Pool,
    private readonly tasks: TaskCommandHandler,
    private readonly rules: RoutingRuleService,
    private readonly schedules: ScheduleService,
    private readonly people: PeopleDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * Routes a batch's new tasks in log order. What routing reads is read once per batch, so the
   * follower keeps up under load: the routing rows already written (by an earlier pass over the
   * same events) in one statement, and each organisation's rules once.
   */
  async handle(events: RecordedEvent[]): Promise<void> {
    const created = events
      .filter((event) => event.type === 'TaskCreated')
      .map((event) => ({ task: event.data as Created, correlationId: event.metadata.correlationId }))
      .filter(({ task }) => !task.assignees?.length);
    if (created.length === 0) return;
    const { rows } = await this.pool.query<RoutingRow>('SELECT * FROM oncall_routings WHERE task_id = ANY ($1::uuid[])', [
      created.map(({ task }) => task.taskId),
    ]);
    const routed = new Map(rows.map((row) => [row.task_id, row]));
    const rules = new Map<string, Promise<RoutingRuleRow[]>>();
    const rulesOf = (orgId: string): Promise<RoutingRuleRow[]> => {
      if (!rules.has(orgId)) rules.set(orgId, this.rules.load(orgId));
      return rules.get(orgId)!;
    };
    for (const { task, correlationId } of created) await this.route(task, correlationId, routed.get(task.taskId), rulesOf);
  }

  /** Routes one new task, given its routing row if one was written already and its organisation's rules. */
  private async route(
    task: Created,
    correlationId: string,
    existing: RoutingRow | undefined,
    rulesOf: (orgId: string) => Promise<RoutingRuleRow[]>,
  ): Promise<void> {
    if (existing) {
      await this.assign(task.orgId, task.taskId, routingActor, existing.assigned[0] ?? [], correlationId);
      return;
    }
    // A rule routes the tasks created after it: following the log from its start routes no history.
    const rules = (await rulesOf(task.orgId)).filter((rule) => rule.createdAt <= new Date(task.createdAt));
    const rule = firstMatch(rules, task);
    if (!rule) return;
    const now = this.clock.now();
    const chosen = await this.targetRefs(task.orgId, rule.target, now);
    const due = escalationDue(rule.escalation, 0, now.getTime());
    const inserted = await this.pool.query(
      `INSERT INTO oncall_routings (task_id, org_id, rule_id, escalation, assigned, routed_at, next_escalation_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (task_id) DO NOTHING`,
      [
        task.taskId,
        task.orgId,
        rule.id,
        JSON.stringify(rule.escalation),
        JSON.stringify([chosen]),
        now,
        due === null ? null : new Date(due),
      ],
    );
    if (inserted.rowCount === 1) await this.assign(task.orgId, task.taskId, routingActor, chosen, correlationId);
  }

  /** Takes every escalation step that is due; answers how many tasks escalated. */
  async escalateDue(): Promise<number> {
    const now = this.clock.now();
    const client = await this.pool.connect();
    let escalated = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<RoutingRow>(
        `SELECT * FROM oncall_routings WHERE next_escalation_at <= $1
         ORDER BY next_escalation_at LIMIT 50 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      for (const row of rows) {
        const step = row.escalation[row.step];
        const unclaimed = await this.isUnclaimed(row);
        if (!unclaimed || !step) {
          // Claimed (or gone): the claim is the answer escalation waited for.
          await client.query('UPDATE oncall_routings SET next_escalation_at = NULL WHERE task_id = $1', [row.task_id]);
          continue;
        }
        const chosen = (row.assigned[row.step + 1] as AssigneeRef[] | undefined) ?? (await this.targetRefs(row.org_id, step.target, now));
        const assigned = [...row.assigned.slice(0, row.step + 1), chosen];
        const due = escalationDue(row.escalation, row.step + 1, now.getTime());
        await client.query(
          'UPDATE oncall_routings SET step = step + 1, assigned = $2, next_escalation_at = $3 WHERE task_id = $1',
          [row.task_id, JSON.stringify(assigned), due === null ? null : new Date(due)],
        );
        await this.assign(row.org_id, row.task_id, escalationActor, chosen, `escalation-${row.task_id}-${row.step + 1}`);
        escalated++;
      }
      await client.query('COMMIT');
      return escalated;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async isUnclaimed(row: RoutingRow): Promise<boolean> {
    try {
      const { task } = await this.tasks.load(system(row.org_id, escalationActor), row.task_id);
      return task.status === 'pending';
    } catch (error) {
      if (error instanceof RejectedCommand) return false;
      throw error;
    }
  }

  /** Who a target names now: the schedule's people on call, or the group or person if still in the organisation. */
  private async targetRefs(orgId: string, target: RouteTarget, at: Date): Promise<AssigneeRef[]> {
    if (target.kind === 'schedule') {
      try {
        return (await this.schedules.whoIsOnCall(orgId, target.id, at)).map((id) => ({ kind: 'user', id }));
      } catch {
        return []; // the schedule was deleted since the rule named it
      }
    }
    try {
      return await this.people.resolve(orgId, [{ kind: target.kind, id: target.id }]);
    } catch {
      return []; // left the organisation, or the group is gone
    }
  }

  private async assign(orgId: string, taskId: string, actor: Actor, refs: AssigneeRef[], correlationId: string): Promise<void> {
    for (const ref of refs) {
      try {
        await this.tasks.execute(system(orgId, actor), taskId, taskChanges.assign(ref), correlationId);
      } catch (error) {
        // A task completed or cancelled before routing reached it takes no assignees.
        if (!(error instanceof RejectedCommand)) throw error;
      }
    }
  }
}

const system = (orgId: string, actor: Actor): Principal => ({ orgId, actor, scopes: [] });
