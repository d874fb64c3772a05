import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: endpoints (secrets and extra headers encrypted by the application),
 * one delivery per (endpoint, event), every attempt and each endpoint's health notices.
 * PostgreSQL is the truth; the queue only holds pointers to due deliveries.
 */
export class Webhooks0000000000004 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        -- empty: every event type / task type
        event_types text[] NOT NULL DEFAULT '{}',
        task_types text[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        ordered boolean NOT NULL DEFAULT true,
        disabled_reason text,
        headers_encrypted text,
        secret_encrypted text NOT NULL,
        -- the secret before the last rotation keeps signing until it expires
        previous_secret_encrypted text,
        previous_secret_expires_at timestamptz,
        -- start of the current run of failures; null once an attempt succeeds
        failing_since timestamptz,
        -- when the endpoint last became healthy, failing or disabled (the health shown by the API)
        health_since timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
        org_id uuid NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        task_id text NOT NULL,
        revision integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        -- the exact JSON body sent, so every attempt and resend carries the same bytes
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (endpoint_id, event_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE status IN ('pending', 'retrying');
      CREATE INDEX webhook_deliveries_task ON webhook_deliveries (endpoint_id, task_id, revision);
      CREATE INDEX webhook_deliveries_endpoint_created ON webhook_deliveries (endpoint_id, created_at);

      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
        endpoint_id uuid NOT NULL,
        attempted_at timestamptz NOT NULL,
        status_code integer,
        latency_ms integer NOT NULL,
        succeeded boolean NOT NULL,
        error_class text,
        response_body text
      );
      CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
      CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

      -- what happened to an endpoint's health: it started failing, was disabled, or recovered
      CREATE TABLE webhook_endpoint_notices (
        id bigserial PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('failing', 'disabled', 'recovered')),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_endpoint_notices_endpoint ON webhook_endpoint_notices (endpoint_id, id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE webhook_endpoint_notices, webhook_attempts, webhook_deliveries, webhook_endpoints');
  }
}
