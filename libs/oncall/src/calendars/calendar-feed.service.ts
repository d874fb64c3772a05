import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../oncall.clock';
import { oncallErrors } from '../oncall.errors';
import type { OrgPeople } from '../people/org-people';
import { calendarText, type CalendarEvent, onCallSpans, personSpans } from '../pure';
import type { ScheduleService } from '../schedules/schedule.service';

const day = 86_400_000;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * iCal feeds of schedules and of people. Calendar apps cannot sign in, so a feed is a capability
 * URL: a random token, kept only as its hash, shown once; asking again replaces it.
 */
export class CalendarFeeds {
  constructor(
    private readonly pool: Pool,
    private readonly schedules: ScheduleService,
    private readonly people: OrgPeople,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  async forSchedule(orgId: string, scheduleId: string): Promise<{ url: string }> {
    await this.schedules.get(orgId, scheduleId);
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(
      `INSERT INTO oncall_calendar_feeds (id, org_id, schedule_id, token_sha256) VALUES ($1, $2, $3, $4)
       ON CONFLICT (schedule_id) WHERE schedule_id IS NOT NULL DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, created_at = now()`,
      [uuidv7(), orgId, scheduleId, sha256(token)],
    );
    return { url: this.url(token) };
  }

  async forPerson(orgId: string, userId: string): Promise<{ url: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(
      `INSERT INTO oncall_calendar_feeds (id, org_id, user_id, token_sha256) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, user_id) WHERE user_id IS NOT NULL DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, created_at = now()`,
      [uuidv7(), orgId, userId, sha256(token)],
    );
    return { url: this.url(token) };
  }

  /** The calendar a token opens: a week back and 60 days ahead. */
  async calendar(token: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw oncallErrors.calendarNotFound();
    const { rows } = await this.pool.query<{ org_id: string; schedule_id: string | null; user_id: string | null }>(
      'SELECT org_id, schedule_id, user_id FROM oncall_calendar_feeds WHERE token_sha256 = $1',
      [sha256(token)],
    );
    if (rows.length === 0) throw oncallErrors.calendarNotFound();
    const { org_id: orgId, schedule_id: scheduleId, user_id: userId } = rows[0];
    const now = this.clock.now().getTime();
    const from = now - 7 * day;
    const to = now + 60 * day;

    if (scheduleId) {
      const { schedule, rotations } = await this.schedules.load(orgId, scheduleId);
      const spans = onCallSpans(schedule, rotations, from, to);
      const members = await this.people.find(
        orgId,
        spans.flatMap((span) => span.people),
      );
      const events: CalendarEvent[] = [...members.values()].flatMap((person) =>
        personSpans(spans, person.id).map((span) => ({
          uid: `${scheduleId}-${person.id}-${span.start}@taskinbox`,
          ...span,
          summary: `${person.name} on call · ${schedule.name}`,
        })),
      );
      return calendarText(
        `On call · ${schedule.name}`,
        events.sort((a, b) => a.start - b.start),
        now,
      );
    }

    const person = (await this.people.find(orgId, [userId!])).get(userId!);
    if (!person) throw oncallErrors.calendarNotFound();
    const { rows: schedules } = await this.pool.query<{ id: string }>(
      'SELECT id FROM oncall_schedules WHERE org_id = $1',
      [orgId],
    );
    const events: CalendarEvent[] = [];
    for (const { id } of schedules) {
      const { schedule, rotations } = await this.schedules.load(orgId, id);
      for (const span of personSpans(onCallSpans(schedule, rotations, from, to), person.id)) {
        events.push({
          uid: `${id}-${person.id}-${span.start}@taskinbox`,
          ...span,
          summary: `On call · ${schedule.name}`,
        });
      }
    }
    return calendarText(
      `${person.name} on call`,
      events.sort((a, b) => a.start - b.start),
      now,
    );
  }

  private url(token: string): string {
    return `${this.publicUrl}/api/oncall/calendars/${token}`;
  }
}
