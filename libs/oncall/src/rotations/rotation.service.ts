import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../oncall.clock';
import { isUniqueViolation, oncallErrors } from '../oncall.errors';
import type { OrgPeople } from '../people/org-people';
import { offsetKeepingCurrent, parseLocalDate, type Rotation, shiftAt } from '../pure';
import type { RotationDto, RotationView } from './rotation.dto';

interface RotationRow {
  id: string;
  name: string;
  time_zone: string;
  start_date: string;
  handoff_time: string;
  shift_unit: Rotation['shiftUnit'];
  shift_length: number;
  people: string[];
  turn_offset: number;
  created_at: Date;
  updated_at: Date;
}

const columns = `id, name, time_zone, start_date::text AS start_date, handoff_time, shift_unit, shift_length, people,
  turn_offset, created_at, updated_at`;

const toRotation = (row: RotationRow): Rotation => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  startDate: row.start_date,
  handoffTime: row.handoff_time,
  shiftUnit: row.shift_unit,
  shiftLength: row.shift_length,
  people: row.people,
  turnOffset: row.turn_offset,
});

/** Rotations of an organisation: people taking turns on call. */
export class RotationService {
  constructor(
    private readonly pool: Pool,
    private readonly people: OrgPeople,
    private readonly clock: Clock,
  ) {}

  async list(orgId: string): Promise<RotationView[]> {
    const { rows } = await this.pool.query<RotationRow>(
      `SELECT ${columns} FROM oncall_rotations WHERE org_id = $1 ORDER BY name`,
      [orgId],
    );
    return rows.map((row) => this.view(row));
  }

  async get(orgId: string, id: string): Promise<RotationView> {
    return this.view(await this.row(orgId, id));
  }

  /** The organisation's rotations as the pure functions take them. */
  async load(orgId: string): Promise<Map<string, Rotation>> {
    const { rows } = await this.pool.query<RotationRow>(`SELECT ${columns} FROM oncall_rotations WHERE org_id = $1`, [
      orgId,
    ]);
    return new Map(rows.map((row) => [row.id, toRotation(row)]));
  }

  async create(orgId: string, body: RotationDto): Promise<RotationView> {
    await this.check(orgId, body);
    try {
      const { rows } = await this.pool.query<RotationRow>(
        `INSERT INTO oncall_rotations (id, org_id, name, time_zone, start_date, handoff_time, shift_unit, shift_length, people)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${columns}`,
        [
          uuidv7(),
          orgId,
          body.name,
          body.timeZone,
          body.startDate,
          body.handoffTime,
          body.shiftUnit,
          body.shiftLength,
          body.people,
        ],
      );
      return this.view(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('rotation') : error;
    }
  }

  /**
   * Replaces the rotation. When only the people change, whoever is on call now stays on call
   * and the others follow in the new order; a new start or shift length starts the turns afresh.
   */
  async replace(orgId: string, id: string, body: RotationDto): Promise<RotationView> {
    await this.check(orgId, body);
    const before = toRotation(await this.row(orgId, id));
    const sameTurns =
      before.timeZone === body.timeZone &&
      before.startDate === body.startDate &&
      before.handoffTime === body.handoffTime &&
      before.shiftUnit === body.shiftUnit &&
      before.shiftLength === body.shiftLength;
    const turnOffset = sameTurns ? offsetKeepingCurrent(before, body.people, this.clock.now().getTime()) : 0;
    try {
      const { rows } = await this.pool.query<RotationRow>(
        `UPDATE oncall_rotations SET name = $3, time_zone = $4, start_date = $5, handoff_time = $6, shift_unit = $7,
           shift_length = $8, people = $9, turn_offset = $10, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING ${columns}`,
        [
          orgId,
          id,
          body.name,
          body.timeZone,
          body.startDate,
          body.handoffTime,
          body.shiftUnit,
          body.shiftLength,
          body.people,
          turnOffset,
        ],
      );
      if (rows.length === 0) throw oncallErrors.rotationNotFound();
      return this.view(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('rotation') : error;
    }
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.row(orgId, id);
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM oncall_schedules WHERE org_id = $1 AND rules @> $2::jsonb ORDER BY name`,
      [orgId, JSON.stringify([{ target: { kind: 'rotation', id } }])],
    );
    if (rows.length > 0) throw oncallErrors.rotationInUse(rows.map((row) => row.name));
    await this.pool.query('DELETE FROM oncall_rotations WHERE org_id = $1 AND id = $2', [orgId, id]);
  }

  private async check(orgId: string, body: RotationDto): Promise<void> {
    if (!parseLocalDate(body.startDate)) throw oncallErrors.invalid('startDate', 'is not a calendar date');
    await this.people.check(orgId, 'people', body.people);
  }

  private async row(orgId: string, id: string): Promise<RotationRow> {
    const { rows } = await this.pool.query<RotationRow>(
      `SELECT ${columns} FROM oncall_rotations WHERE org_id = $1 AND id = $2`,
      [orgId, id],
    );
    if (rows.length === 0) throw oncallErrors.rotationNotFound();
    return rows[0];
  }

  private view(row: RotationRow): RotationView {
    const rotation = toRotation(row);
    const current = shiftAt(rotation, this.clock.now().getTime());
    const next = current ? shiftAt(rotation, current.end) : undefined;
    const shift = (value: typeof current) =>
      value
        ? { person: value.person, start: new Date(value.start).toISOString(), end: new Date(value.end).toISOString() }
        : null;
    return {
      id: row.id,
      name: row.name,
      timeZone: row.time_zone,
      startDate: row.start_date,
      handoffTime: row.handoff_time,
      shiftUnit: row.shift_unit,
      shiftLength: row.shift_length,
      people: row.people,
      current: shift(current),
      next: shift(next),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
