import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each event's size: the bytes of its data and metadata as JSON text, written by
 * es_append_batch. Reads bounded by bytes (libs/event-store readAll maxBytes) add these up,
 * so a batch of large events that compress well still stays within its budget once parsed.
 * Events appended before this migration have none; reads fall back to their stored size.
 */
export class EventSizes0000000000042 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // Nullable and without a default: no rewrite of an existing log.
    await db.query(`ALTER TABLE es_events ADD COLUMN size integer`);
    await db.query(appendBatch(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(appendBatch(false));
    await db.query(`ALTER TABLE es_events DROP COLUMN size`);
  }
}

/** Migration 0001's es_append_batch, writing each event's size when `sized`. */
const appendBatch = (sized: boolean): string => `
      CREATE OR REPLACE FUNCTION es_append_batch(
        p_streams text[], p_expected bigint[], p_counts int[],
        p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      )
      RETURNS TABLE (n int, outcome text, next_revision bigint, last_position text)
      LANGUAGE plpgsql
      AS $$
      DECLARE
        v_stream text;
        v_expected bigint;
        v_count int;
        v_from int := 1;
        v_to int;
        v_ids uuid[];
        v_revision bigint;
        v_first bigint;
      BEGIN
        FOR i IN 1 .. cardinality(p_streams) LOOP
          n := i;
          v_stream := p_streams[i];
          v_expected := p_expected[i];
          v_count := p_counts[i];
          IF v_count < 1 THEN
            RAISE EXCEPTION 'es_append_batch needs at least one event per append' USING ERRCODE = '22023';
          END IF;
          v_to := v_from + v_count - 1;
          v_ids := p_ids[v_from:v_to];
          v_first := NULL;
          v_revision := NULL;

          -- 'any' and 'stream_exists' claim the stream even on a retry, so look for the ids first.
          IF v_expected IN (-2, -4) THEN
            SELECT f.first_revision, f.last_revision, f.last_position INTO v_first, next_revision, last_position
            FROM es_prior_append(v_stream, v_ids) f;
          END IF;

          IF v_first IS NOT NULL THEN
            outcome := 'duplicate';
          ELSE
            -- Claim the stream row: the row lock orders concurrent appenders of one stream.
            CASE v_expected
              WHEN -1 THEN
                INSERT INTO es_streams (stream_id, stream_type, revision)
                VALUES (v_stream, split_part(v_stream, '-', 1), v_count - 1)
                ON CONFLICT DO NOTHING
                RETURNING revision INTO v_revision;
              WHEN -2 THEN
                INSERT INTO es_streams AS s (stream_id, stream_type, revision)
                VALUES (v_stream, split_part(v_stream, '-', 1), v_count - 1)
                ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count, updated_at = now()
                RETURNING revision INTO v_revision;
              WHEN -4 THEN
                UPDATE es_streams SET revision = revision + v_count, updated_at = now()
                WHERE stream_id = v_stream
                RETURNING revision INTO v_revision;
              ELSE
                UPDATE es_streams SET revision = v_expected + v_count, updated_at = now()
                WHERE stream_id = v_stream AND revision = v_expected
                RETURNING revision INTO v_revision;
            END CASE;

            IF v_revision IS NOT NULL THEN
              -- Slices rather than p_data[k] per event: indexing measured slower.
              INSERT INTO es_events (stream_id, stream_revision, event_id, event_type, data, metadata${sized ? ', size' : ''})
              SELECT v_stream, v_revision - v_count + e.o, e.id, e.type, e.data, e.metadata${sized ? `,
                octet_length(e.data::text) + octet_length(e.metadata::text)` : ''}
              FROM unnest(v_ids, p_types[v_from:v_to], p_data[v_from:v_to], p_metadata[v_from:v_to])
                WITH ORDINALITY AS e(id, type, data, metadata, o)
              ORDER BY e.o;
              outcome := 'appended';
              next_revision := v_revision;
              -- Positions were drawn in revision order, so the session's last one is the last event's.
              last_position := es_position(pg_current_xact_id(), currval('es_global_position'));
            ELSE
              -- A retry of an append that already went through at the expected revision.
              SELECT f.first_revision, f.last_revision, f.last_position INTO v_first, next_revision, last_position
              FROM es_prior_append(v_stream, v_ids) f;
              IF v_first = v_expected + 1 THEN
                outcome := 'duplicate';
              ELSE
                outcome := 'conflict';
                last_position := NULL;
                SELECT coalesce(max(s.revision), -1) INTO next_revision FROM es_streams s WHERE s.stream_id = v_stream;
              END IF;
            END IF;
          END IF;

          RETURN NEXT;
          v_from := v_to + 1;
        END LOOP;
      END
      $$`;
