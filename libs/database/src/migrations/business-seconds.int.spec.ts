import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { businessSecondsAsIn0003 } from './0125-business-seconds-loop';

// business_seconds as migration 0003 defined it (a query per call), beside the database's own
// (0125, a loop): stats, SLO clocks and the projected facts must not move when one replaced the other.
const asDefinedIn0003 = businessSecondsAsIn0003('CREATE FUNCTION business_seconds_0003');

// Zones with daylight saving (north and south), half- and quarter-hour offsets, a 30-minute
// shift (Lord Howe) and a skipped calendar day (Apia, 30 December 2011).
const zones = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Apia',
];

interface Mismatch {
  from_at: string;
  to_at: string;
  zone: string;
  days: string;
  day_start: string;
  day_end: string;
  now: string | null;
  before: string | null;
}

describe('business_seconds', () => {
  jest.setTimeout(60_000);
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('business_seconds');
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(asDefinedIn0003);
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  /** The cases in `cases` (a temporary table) on which the two definitions differ, and how many had working time. */
  async function compare(): Promise<{ mismatches: Mismatch[]; cases: number; working: number }> {
    const { rows } = await db.query<{ mismatches: Mismatch[] | null; cases: number; working: number }>(`
      SELECT count(*)::int AS cases, count(*) FILTER (WHERE now > 0)::int AS working,
             (array_agg(to_jsonb(c) ORDER BY from_at) FILTER (WHERE now::text IS DISTINCT FROM before::text))[1:5] AS mismatches
      FROM (SELECT *, business_seconds(from_at, to_at, zone, days, day_start, day_end) AS now,
                   business_seconds_0003(from_at, to_at, zone, days, day_start, day_end) AS before
            FROM cases) AS c`);
    return { ...rows[0], mismatches: rows[0].mismatches ?? [] };
  }

  it('is the loop of migration 0125 that replaced the query of 0003', async () => {
    const { rows } = await db.query<{ language: string }>(
      `SELECT l.lanname AS language FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'business_seconds'`,
    );
    expect(rows).toEqual([{ language: 'plpgsql' }]);
  });

  it('gives what the definition of 0003 gave, to the bit, on random instants, calendars and zones', async () => {
    await db.query('SELECT setseed(0.125)');
    // Instants to the microsecond over 2010–2030; spans from backwards to a quarter; any set of
    // working days (none too); working hours anywhere in the day, some across the hours clocks skip or repeat.
    await db.query(
      `CREATE TEMPORARY TABLE cases AS
       SELECT from_at, from_at + span AS to_at, zone, days, day_start, day_start + length AS day_end
       FROM (
         SELECT timestamptz '2010-01-01 00:00Z' + random() * interval '7300 days' AS from_at,
                CASE WHEN random() < 0.05 THEN -random() * interval '2 days'
                     ELSE random() * (ARRAY[interval '1 hour', interval '1 day', interval '10 days', interval '90 days'])[1 + floor(random() * 4)::int]
                END AS span,
                ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int] AS zone,
                ARRAY(SELECT d::smallint FROM generate_series(1, 7) AS d WHERE random() < 0.6 + 0 * n) AS days,
                start AS day_start,
                greatest(interval '1 second', random() * (interval '24 hours' - interval '1 second' - (start - time '00:00'))) AS length
         FROM generate_series(1, 20000) AS n,
              LATERAL (SELECT time '00:00' + date_trunc('second', random() * interval '20 hours') + 0 * n * interval '1 s' AS start) AS s
       ) AS r`,
      [zones],
    );
    const { mismatches, cases, working } = await compare();
    expect(cases).toBe(20_000);
    // Random enough to mean something: most cases have some working time.
    expect(working).toBeGreaterThan(10_000);
    expect(mismatches).toEqual([]);
  });

  it('gives what the definition of 0003 gave on the days clocks change, at the edges of working hours and without bounds', async () => {
    await db.query('DROP TABLE IF EXISTS cases');
    await db.query(
      `CREATE TEMPORARY TABLE cases AS
       SELECT from_at, to_at, zone, days::smallint[], day_start::time, day_end::time
       FROM (VALUES
         -- Berlin springs forward at 02:00 on 30 March 2025 and falls back at 03:00 on 26 October.
         ('2025-03-29 00:00+01'::timestamptz, '2025-04-01 00:00+02'::timestamptz, 'Europe/Berlin', '{1,2,3,4,5,6,7}', '01:30', '03:30'),
         ('2025-03-30 02:10+02', '2025-03-30 02:50+02', 'Europe/Berlin', '{7}', '02:00', '03:00'),
         ('2025-10-25 00:00+02', '2025-10-28 00:00+01', 'Europe/Berlin', '{1,2,3,4,5,6,7}', '01:30', '03:30'),
         ('2025-10-26 02:30+02', '2025-10-26 02:30+01', 'Europe/Berlin', '{7}', '02:00', '03:00'),
         ('2025-03-08 00:00-05', '2025-03-10 12:00-04', 'America/New_York', '{7}', '00:00', '23:59:59.999999'),
         ('2011-12-28 00:00', '2012-01-02 00:00', 'Pacific/Apia', '{1,2,3,4,5,6,7}', '09:00', '17:00'),
         -- At the edges of the working window, and empty or backwards spans.
         ('2025-01-06 09:00Z', '2025-01-06 17:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 17:00Z', '2025-01-07 09:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 12:00Z', '2025-01-06 12:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-07 12:00Z', '2025-01-06 12:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 08:59:59.999999Z', '2025-01-06 09:00:00.000001Z', 'UTC', '{1}', '09:00', '17:00'),
         ('2025-01-04 00:00Z', '2025-01-06 00:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 00:00Z', '2025-03-06 00:00Z', 'Asia/Kathmandu', '{}', '09:00', '17:00'),
         -- Unknown bounds or calendar: no working time.
         (NULL, '2025-01-06 12:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 10:00Z', NULL, 'UTC', '{1,2,3,4,5}', '09:00', '17:00'),
         ('2025-01-06 10:00Z', '2025-01-07 12:00Z', 'UTC', NULL, '09:00', '17:00'),
         ('2025-01-06 10:00Z', '2025-01-07 12:00Z', 'UTC', '{1,2,3,4,5}', NULL, '17:00')
       ) AS c(from_at, to_at, zone, days, day_start, day_end)`,
    );
    const { mismatches, cases } = await compare();
    expect(cases).toBe(17);
    expect(mismatches).toEqual([]);
    // What a reader would check by hand: a whole working day is 8 hours; the night after it none.
    const { rows } = await db.query<{ day: number; night: number; shortened: number }>(
      `SELECT business_seconds('2025-01-06 09:00Z', '2025-01-06 17:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00') AS day,
              business_seconds('2025-01-06 17:00Z', '2025-01-07 09:00Z', 'UTC', '{1,2,3,4,5}', '09:00', '17:00') AS night,
              business_seconds('2025-03-30 00:00+01', '2025-03-31 00:00+02', 'Europe/Berlin', '{7}', '01:30', '03:30') AS shortened`,
    );
    expect(rows[0]).toEqual({ day: 8 * 3600, night: 0, shortened: 3600 });
  });
});
