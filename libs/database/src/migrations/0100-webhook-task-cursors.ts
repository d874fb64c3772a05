import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each task's events have been turned into webhook deliveries (libs/webhooks fan-out):
 * a task's event is recorded only after the one before it, so an ordered endpoint never gets a
 * later event first when JetStream holds or redelivers them out of order (a relay re-publishing
 * after a NATS restart, a nak'd message). Tasks that exist now start at their current revision.
 */
export class WebhookTaskCursors0000000000100 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_task_cursors (
        task_id text PRIMARY KEY,
        -- the highest revision of the task whose deliveries are recorded (all before it are too)
        revision integer NOT NULL
      )`);
    await db.query(`
      INSERT INTO webhook_task_cursors (task_id, revision)
      SELECT substring(stream_id FROM 6), revision FROM es_streams WHERE stream_type = 'task'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_task_cursors`);
  }
}
