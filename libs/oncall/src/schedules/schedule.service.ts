import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../oncall.clock';
import { isUniqueViolation, oncallErrors } from '../oncall.errors';
import type { OrgPeople } from '../people/org-people';
import {
  currentAndNext,
  onCallAt,
  onCallSpans,
  type OnCallSpan,
  type Override,
  type Schedule,
  type ScheduleRule,
} from '../pure';
import type { RotationService } from '../rotations/rotation.service';
import type { OnCallSpanView, OnCallView, OverrideDto, OverrideView, ScheduleDto, ScheduleView } from './schedule.dto';

interface ScheduleRow {
  id: string;
  name: string;
  time_zone: string;
  rules: ScheduleRule[];
  created_at: Date;
  updated_at: Date;
}
interface OverrideRow {
  id: string;
  start_at: Date;
  end_at: Date;
  add_user: string | null;
  remove_user: string | null;
}

const day = 86_400_000;

/** Schedules of an organisation: rules that put rotations or people on call, and temporary overrides. */
export class ScheduleService {
  constructor(
    private readonly pool: Pool,
    private readonly rotations: RotationService,
    private readonly people: OrgPeople,
    private readonly clock: Clock,
  ) {}

  async list(orgId: string): Promise<ScheduleView[]> {
    const { rows } = await this.pool.query<ScheduleRow>(
      'SELECT * FROM oncall_schedules WHERE org_id = $1 ORDER BY name',
      [orgId],
    );
    return Promise.all(rows.map(async (row) => this.view(row, await this.overrides(orgId, row.id))));
  }

  async get(orgId: string, id: string): Promise<ScheduleView> {
    const row = await this.row(orgId, id);
    return this.view(row, await this.overrides(orgId, id));
  }

  async create(orgId: string, body: ScheduleDto): Promise<ScheduleView> {
    await this.check(orgId, body);
    try {
      const { rows } = await this.pool.query<ScheduleRow>(
        `INSERT INTO oncall_schedules (id, org_id, name, time_zone, rules) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [uuidv7(), orgId, body.name, body.timeZone, JSON.stringify(rulesOf(body))],
      );
      return this.view(rows[0], []);
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('schedule') : error;
    }
  }

  async replace(orgId: string, id: string, body: ScheduleDto): Promise<ScheduleView> {
    await this.check(orgId, body);
    try {
      const { rows } = await this.pool.query<ScheduleRow>(
        `UPDATE oncall_schedules SET name = $3, time_zone = $4, rules = $5, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, body.name, body.timeZone, JSON.stringify(rulesOf(body))],
      );
      if (rows.length === 0) throw oncallErrors.scheduleNotFound();
      return this.view(rows[0], await this.overrides(orgId, id));
    } catch (error) {
      throw isUniqueViolation(error) ? oncallErrors.nameTaken('schedule') : error;
    }
  }

  async remove(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM oncall_schedules WHERE org_id = $1 AND id = $2', [
      orgId,
      id,
    ]);
    if (rowCount === 0) throw oncallErrors.scheduleNotFound();
  }

  async addOverride(
    orgId: string,
    scheduleId: string,
    body: OverrideDto,
    createdBy: string | null,
  ): Promise<OverrideView> {
    await this.row(orgId, scheduleId);
    const start = Date.parse(body.start);
    const end = Date.parse(body.end);
    if (!(end > start)) throw oncallErrors.invalid('end', 'must be after start');
    if (end - start > 366 * day) throw oncallErrors.invalid('end', 'must be at most a year after start');
    if (!body.add && !body.remove) throw oncallErrors.invalid('add', 'or remove must name a person');
    if (body.add && body.add === body.remove) throw oncallErrors.invalid('add', 'and remove must be different people');
    await this.people.check(orgId, 'add', body.add ? [body.add] : []);
    await this.people.check(orgId, 'remove', body.remove ? [body.remove] : []);
    const { rows } = await this.pool.query<OverrideRow>(
      `INSERT INTO oncall_overrides (id, org_id, schedule_id, start_at, end_at, add_user, remove_user, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [uuidv7(), orgId, scheduleId, new Date(start), new Date(end), body.add ?? null, body.remove ?? null, createdBy],
    );
    return overrideView(rows[0]);
  }

  async removeOverride(orgId: string, scheduleId: string, overrideId: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM oncall_overrides WHERE org_id = $1 AND schedule_id = $2 AND id = $3',
      [orgId, scheduleId, overrideId],
    );
    if (rowCount === 0) throw oncallErrors.overrideNotFound();
  }

  /** The schedule and the rotations its rules use, as the pure functions take them. */
  async load(
    orgId: string,
    id: string,
  ): Promise<{ schedule: Schedule; rotations: Awaited<ReturnType<RotationService['load']>> }> {
    const row = await this.row(orgId, id);
    const { rows } = await this.pool.query<OverrideRow>(
      'SELECT * FROM oncall_overrides WHERE org_id = $1 AND schedule_id = $2 ORDER BY created_at, id',
      [orgId, id],
    );
    const overrides: Override[] = rows.map((override) => ({
      id: override.id,
      start: override.start_at.getTime(),
      end: override.end_at.getTime(),
      add: override.add_user ?? undefined,
      remove: override.remove_user ?? undefined,
    }));
    const schedule = { id: row.id, name: row.name, timeZone: row.time_zone, rules: row.rules, overrides };
    return { schedule, rotations: await this.rotations.load(orgId) };
  }

  /** Who of the organisation's current members is on call on this schedule at `instant`. */
  async whoIsOnCall(orgId: string, id: string, instant: Date): Promise<string[]> {
    const { schedule, rotations } = await this.load(orgId, id);
    const people = onCallAt(schedule, rotations, instant.getTime());
    const members = await this.people.find(orgId, people);
    return people.filter((person) => members.has(person));
  }

  async onCall(orgId: string, id: string, at?: string): Promise<OnCallView> {
    const instant = at ? Date.parse(at) : this.clock.now().getTime();
    const { schedule, rotations } = await this.load(orgId, id);
    const { current, next } = currentAndNext(schedule, rotations, instant);
    const [currentView, nextView] = await this.spanViews(orgId, next ? [current, next] : [current]);
    return { at: new Date(instant).toISOString(), current: currentView, next: nextView ?? null };
  }

  async spans(orgId: string, id: string, from?: string, to?: string): Promise<OnCallSpanView[]> {
    const start = from ? Date.parse(from) : this.clock.now().getTime();
    const end = to ? Date.parse(to) : start + 14 * day;
    if (!(end > start)) throw oncallErrors.invalid('to', 'must be after from');
    if (end - start > 90 * day) throw oncallErrors.invalid('to', 'must be at most 90 days after from');
    const { schedule, rotations } = await this.load(orgId, id);
    return this.spanViews(orgId, onCallSpans(schedule, rotations, start, end));
  }

  private async spanViews(orgId: string, spans: OnCallSpan[]): Promise<OnCallSpanView[]> {
    const members = await this.people.find(
      orgId,
      spans.flatMap((span) => span.people),
    );
    return spans.map((span) => ({
      people: span.people.flatMap((id) => {
        const person = members.get(id);
        return person ? [{ id, name: person.name }] : [];
      }),
      start: new Date(span.start).toISOString(),
      end: new Date(span.end).toISOString(),
    }));
  }

  private async check(orgId: string, body: ScheduleDto): Promise<void> {
    const users = body.rules.filter((rule) => rule.target.kind === 'user').map((rule) => rule.target.id);
    await this.people.check(orgId, 'rules.target.id', users);
    const rotationIds = body.rules.filter((rule) => rule.target.kind === 'rotation').map((rule) => rule.target.id);
    if (rotationIds.length === 0) return;
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM oncall_rotations WHERE org_id = $1 AND id = ANY($2::uuid[])',
      [orgId, rotationIds],
    );
    const known = new Set(rows.map((row) => row.id));
    const unknown = rotationIds.find((id) => !known.has(id));
    if (unknown)
      throw oncallErrors.invalid('rules.target.id', `names ${unknown}, which is not a rotation of this organisation`);
  }

  private async row(orgId: string, id: string): Promise<ScheduleRow> {
    const { rows } = await this.pool.query<ScheduleRow>(
      'SELECT * FROM oncall_schedules WHERE org_id = $1 AND id = $2',
      [orgId, id],
    );
    if (rows.length === 0) throw oncallErrors.scheduleNotFound();
    return rows[0];
  }

  private async overrides(orgId: string, scheduleId: string): Promise<OverrideView[]> {
    const { rows } = await this.pool.query<OverrideRow>(
      'SELECT * FROM oncall_overrides WHERE org_id = $1 AND schedule_id = $2 AND end_at > $3 ORDER BY start_at, id',
      [orgId, scheduleId, this.clock.now()],
    );
    return rows.map(overrideView);
  }

  private view(row: ScheduleRow, overrides: OverrideView[]): ScheduleView {
    return {
      id: row.id,
      name: row.name,
      timeZone: row.time_zone,
      rules: row.rules,
      overrides,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

const rulesOf = (body: ScheduleDto): ScheduleRule[] =>
  body.rules.map((rule) => ({
    days: [...rule.days].sort(),
    start: rule.start,
    end: rule.end,
    target: { kind: rule.target.kind, id: rule.target.id },
  }));

const overrideView = (row: OverrideRow): OverrideView => ({
  id: row.id,
  start: row.start_at.toISOString(),
  end: row.end_at.toISOString(),
  add: row.add_user,
  remove: row.remove_user,
});
