import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task actions worker follows the log with the shared CheckpointFollower (one active
 * instance per database, behind an advisory lock), whose checkpoints live in
 * projection_checkpoints: its position moves there, so no request already handed over is
 * handed over again after the upgrade.
 */
export class TaskActionFollower0000000000101 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      INSERT INTO projection_checkpoints (name, position)
      SELECT 'task-actions', position FROM task_action_checkpoints WHERE name = 'task-actions'
      ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`);
    await db.query('DROP TABLE task_action_checkpoints');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_action_checkpoints (
        name text PRIMARY KEY,
        position text NOT NULL
      )`);
    await db.query(`
      INSERT INTO task_action_checkpoints (name, position)
      SELECT name, position FROM projection_checkpoints WHERE name = 'task-actions' AND position IS NOT NULL`);
  }
}
