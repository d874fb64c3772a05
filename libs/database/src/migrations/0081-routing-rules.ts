import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing (libs/oncall): an organisation's ordered rules that send a new task to a schedule's
 * person on call, a group or a person, with escalation steps; and one row per routed task that
 * remembers whom routing chose (so a replay of the log assigns the same people) and when its
 * next escalation step is due (the timer that survives restarts).
 */
export class RoutingRules0000000000081 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE oncall_routing_rules (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        position integer NOT NULL,
        -- {taskTypes?, priorities?, tags?}: every given list must match one value; none given matches all
        match jsonb NOT NULL DEFAULT '{}',
        -- {kind: 'schedule'|'group'|'user', id}
        target jsonb NOT NULL,
        -- [{afterMinutes, target}]
        escalation jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, name)
      );
      CREATE INDEX oncall_routing_rules_order ON oncall_routing_rules (org_id, position, created_at);

      CREATE TABLE oncall_routings (
        task_id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        rule_id uuid REFERENCES oncall_routing_rules ON DELETE SET NULL,
        -- the escalation steps as they were when the task was routed
        escalation jsonb NOT NULL DEFAULT '[]',
        -- steps taken so far (0: only the rule's own target)
        step integer NOT NULL DEFAULT 0,
        -- [{kind, id}] chosen at each step, by step
        assigned jsonb NOT NULL DEFAULT '[]',
        routed_at timestamptz NOT NULL,
        next_escalation_at timestamptz
      );
      CREATE INDEX oncall_routings_due ON oncall_routings (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE oncall_routings, oncall_routing_rules`);
  }
}
