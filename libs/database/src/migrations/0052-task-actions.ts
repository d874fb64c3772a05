import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom actions (libs/task-actions): each organisation's signing secret for the calls actions
 * make (Standard Webhooks, encrypted like webhook secrets), and the position in the event log up
 * to which requested actions have been handed to the queue.
 */
export class TaskActions0000000000052 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_action_secrets (
        org_id uuid PRIMARY KEY REFERENCES organisations ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE task_action_checkpoints (
        name text PRIMARY KEY,
        position text NOT NULL
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE task_action_checkpoints, task_action_secrets');
  }
}
