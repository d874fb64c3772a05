import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { PeopleDirectory } from '@taskinbox/auth';
import { isUniqueViolation, oncallErrors } from '../oncall.errors';
import type { EscalationStep, RouteMatch, RouteTarget, RoutingRule } from '../pure';
import type { RoutingRuleDto, RoutingRuleView } from './routing-rule.dto';

interface RuleRow {
  id: string;
  name: string;
  position: number;
  match: RouteMatch;
  target: RouteTarget;
  escalation: EscalationStep[];
  created_at: Date;
  updated_at: Date;
}

/** An organisation's routing rules, in order: the first one a new task matches sends it somewhere. */
export class RoutingRuleService {
  constructor(
    private readonly pool: Pool,
    private readonly people: PeopleDirectory,
  ) {}

  async list(orgId: string): Promise<RoutingRuleView[]> {
    return (await this.rows(orgId)).map(view);
  }

  /** The rules in the order routing tries them, with when each was made. */
  async load(orgId: string): Promise<(RoutingRule & { createdAt: Date })[]> {
    return (await this.rows(orgId)).map((row) => ({
      id: row.id,
      match: row.match,
      target: row.target,
      escalation: row.escalation,
      createdAt: row.created_at,
    }));
  }

  async get(orgId: string, id: string): Promise<RoutingRuleView> {
    const { rows } = await this.pool.query<RuleRow>('SELECT * FROM oncall_routing_rules WHERE org_id = $1 AND id = $2', [
      orgId,
      id,
    ]);
    if (rows.length === 0) throw oncallErrors.routingRuleNotFound();
    return view(rows[0]);
  }

  async create(orgId: string, body: RoutingRuleDto): Promise<RoutingRuleView> {
    await this.check(orgId, body);
    await this.makeRoom(orgId, body.position);
    try {
      const { rows } = await this.pool.query<RuleRow>(
        `INSERT INTO oncall_routing_rules (id, org_id, name, position, match, target, escalation)
         VALUES ($1, $2, $3,
                 coalesce($4, (SELECT coalesce(max(position) + 1, 0) FROM oncall_routing_rules WHERE org_id = $2)),
                 $5, $6, $7)
         RETURNING *`,
        [uuidv7(), orgId, body.name, body.position ?? null, ...columns(body)],
      );
      return view(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('routing rule') : error;
    }
  }

  async replace(orgId: string, id: string, body: RoutingRuleDto): Promise<RoutingRuleView> {
    await this.check(orgId, body);
    await this.makeRoom(orgId, body.position, id);
    try {
      const { rows } = await this.pool.query<RuleRow>(
        `UPDATE oncall_routing_rules
            SET name = $3, position = coalesce($4, position), match = $5, target = $6, escalation = $7, updated_at = now()
          WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, body.name, body.position ?? null, ...columns(body)],
      );
      if (rows.length === 0) throw oncallErrors.routingRuleNotFound();
      return view(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('routing rule') : error;
    }
  }

  async remove(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM oncall_routing_rules WHERE org_id = $1 AND id = $2', [
      orgId,
      id,
    ]);
    if (rowCount === 0) throw oncallErrors.routingRuleNotFound();
  }

  /** A rule put at a taken position goes before the rule there: that one and those after move down. */
  private async makeRoom(orgId: string, position: number | undefined, except?: string): Promise<void> {
    if (position === undefined) return;
    await this.pool.query(
      `UPDATE oncall_routing_rules SET position = position + 1
        WHERE org_id = $1 AND position >= $2 AND id IS DISTINCT FROM $3
          AND EXISTS (SELECT 1 FROM oncall_routing_rules WHERE org_id = $1 AND position = $2 AND id IS DISTINCT FROM $3)`,
      [orgId, position, except ?? null],
    );
  }

  private rows(orgId: string): Promise<RuleRow[]> {
    return this.pool
      .query<RuleRow>('SELECT * FROM oncall_routing_rules WHERE org_id = $1 ORDER BY position, created_at, id', [orgId])
      .then((result) => result.rows);
  }

  /** Every target must be a schedule, group or person of this organisation. */
  private async check(orgId: string, body: RoutingRuleDto): Promise<void> {
    const targets: [string, RouteTarget][] = [
      ['target.id', body.target],
      ...(body.escalation ?? []).map((step, index): [string, RouteTarget] => [`escalation[${index}].target.id`, step.target]),
    ];
    const schedules = targets.filter(([, target]) => target.kind === 'schedule');
    if (schedules.length > 0) {
      const { rows } = await this.pool.query<{ id: string }>(
        'SELECT id FROM oncall_schedules WHERE org_id = $1 AND id = ANY($2::uuid[])',
        [orgId, schedules.map(([, target]) => target.id)],
      );
      const unknown = schedules.find(([, target]) => !rows.some((row) => row.id === target.id.toLowerCase()));
      if (unknown) throw oncallErrors.invalid(unknown[0], `names ${unknown[1].id}, which is not a schedule of this organisation`);
    }
    const assignees = targets.filter(([, target]) => target.kind !== 'schedule');
    await this.people.resolve(
      orgId,
      assignees.map(([, target]) => ({ kind: target.kind as 'user' | 'group', id: target.id })),
      (index) => assignees[index][0],
    );
  }
}

const target = (value: RouteTarget): RouteTarget => ({ kind: value.kind, id: value.id.toLowerCase() });

const columns = (body: RoutingRuleDto): string[] => [
  JSON.stringify({
    ...(body.match.taskTypes?.length ? { taskTypes: body.match.taskTypes } : {}),
    ...(body.match.priorities?.length ? { priorities: body.match.priorities } : {}),
    ...(body.match.tags?.length ? { tags: body.match.tags } : {}),
  }),
  JSON.stringify(target(body.target)),
  JSON.stringify((body.escalation ?? []).map((step) => ({ afterMinutes: step.afterMinutes, target: target(step.target) }))),
];

const view = (row: RuleRow): RoutingRuleView => ({
  id: row.id,
  name: row.name,
  position: row.position,
  match: row.match,
  target: row.target,
  escalation: row.escalation,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
