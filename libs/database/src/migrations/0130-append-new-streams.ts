import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * es_append_new_streams: a batch of appends that each start a new stream ('no_stream', every
 * stream once), as creating tasks does, claimed and written by two set-based statements instead
 * of es_append_batch's loop of statements per append: about half the server time per append
 * (tools/bench/ingest.bench.ts). Same arguments less p_expected, same rows as es_append_batch.
 * A stream that already exists is handled as es_append_batch does it, each in its own
 * statements: those see the transaction that made it once it committed.
 */
export class AppendNewStreams0000000000130 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION es_append_new_streams(
        p_streams text[], p_counts int[], p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      )
      RETURNS TABLE (n int, outcome text, next_revision bigint, last_position text)
      LANGUAGE plpgsql
      AS $$
      DECLARE
        v_appended int[] := '{}';
        v_first bigint;
        v_from int;
        r record;
      BEGIN
        IF EXISTS (SELECT FROM unnest(p_counts) c WHERE c IS NULL OR c < 1) THEN
          RAISE EXCEPTION 'es_append_new_streams needs at least one event per append' USING ERRCODE = '22023';
        END IF;
        IF cardinality(p_streams) <> (SELECT count(DISTINCT s) FROM unnest(p_streams) s) THEN
          RAISE EXCEPTION 'es_append_new_streams needs each stream once' USING ERRCODE = '22023';
        END IF;

        -- Stream rows are claimed in array order (the caller sorts it), so concurrent batches cannot deadlock.
        FOR r IN
          WITH appends AS (
            SELECT a.n::int AS n, a.stream_id, a.count, (sum(a.count) OVER (ORDER BY a.n) - a.count)::int AS before
            FROM unnest(p_streams, p_counts) WITH ORDINALITY AS a(stream_id, count, n)
          ),
          claimed AS (
            INSERT INTO es_streams (stream_id, stream_type, revision)
            SELECT a.stream_id, split_part(a.stream_id, '-', 1), a.count - 1 FROM appends a ORDER BY a.n
            ON CONFLICT DO NOTHING
            RETURNING stream_id
          ),
          written AS (
            -- In event order, so positions are drawn in revision order within each stream.
            INSERT INTO es_events (stream_id, stream_revision, event_id, event_type, data, metadata, size)
            SELECT a.stream_id, g.revision, e.id, e.type, e.data, e.metadata,
              octet_length(e.data::text) + octet_length(e.metadata::text)
            FROM appends a
            JOIN claimed c ON c.stream_id = a.stream_id
            CROSS JOIN LATERAL generate_series(0, a.count - 1) AS g(revision)
            JOIN unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS e(id, type, data, metadata, k)
              ON e.k = a.before + g.revision + 1
            ORDER BY e.k
            RETURNING stream_id, stream_revision, tx_id, global_position
          )
          SELECT a.n, max(w.stream_revision) AS next_revision, max(es_position(w.tx_id, w.global_position)) AS last_position
          FROM appends a JOIN written w ON w.stream_id = a.stream_id
          GROUP BY a.n
        LOOP
          n := r.n;
          outcome := 'appended';
          next_revision := r.next_revision;
          last_position := r.last_position;
          v_appended := v_appended || r.n;
          RETURN NEXT;
        END LOOP;

        -- Streams that existed: an idempotent retry of the append that made them, else a conflict.
        FOR i IN 1 .. cardinality(p_streams) LOOP
          CONTINUE WHEN i = ANY (v_appended);
          v_from := 1 + coalesce((SELECT sum(c) FROM unnest(p_counts[1:i - 1]) c), 0)::int;
          n := i;
          SELECT f.first_revision, f.last_revision, f.last_position INTO v_first, next_revision, last_position
          FROM es_prior_append(p_streams[i], p_ids[v_from:v_from + p_counts[i] - 1]) f;
          IF v_first = 0 THEN
            outcome := 'duplicate';
          ELSE
            outcome := 'conflict';
            last_position := NULL;
            SELECT coalesce(max(s.revision), -1) INTO next_revision FROM es_streams s WHERE s.stream_id = p_streams[i];
          END IF;
          RETURN NEXT;
        END LOOP;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION es_append_new_streams(text[], int[], uuid[], text[], jsonb[], jsonb[])`);
  }
}
