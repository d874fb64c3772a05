import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeopleDirectory, type Principal } from '@taskinbox/auth';
import type { TaskStatus } from '@taskinbox/domain';
import { InboxTask, readModelsCheckpoint, statusRank } from '@taskinbox/read-models';
import { invalidParam } from '../tasks/query-param.helpers';
import { visibilityCondition } from '../tasks/task.visibility';
import { decodeCursor, encodeCursor } from './inbox.cursor';
import { INBOX_DEFAULT_LIMIT, type InboxQueryDto } from './inbox-query.dto';
import { assigneeRefsOf, summaryColumns, type TaskSummary, toTaskSummary } from './task-summary.view';

export interface InboxPage {
  items: TaskSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /**
   * The log position the read models stood at when these rows were read (same statement, same
   * snapshot); null on an empty page. The live stream's `ready` event says whether the log has
   * moved past it since.
   */
  position: string | null;
}

const unfinished: TaskStatus[] = ['pending', 'processing', 'waiting'];

// Search-as-you-type: the last word of the query also matches as a prefix ('refu' finds 'refund').
// websearch_to_tsquery keeps its syntax (phrases, -words, or); its text form ends in the last
// lexeme's closing quote, which gets the prefix marker.
const prefixSearch = `t.search @@ to_tsquery('simple', regexp_replace(websearch_to_tsquery('simple', :q)::text, '''$', ''':*'))`;
const wordSearch = `t.search @@ websearch_to_tsquery('simple', :q)`;
const endsInWord = /[\p{L}\p{N}]$/u;

@Injectable()
export class InboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly people: PeopleDirectory,
  ) {}

  /** The organisation's shared queue, the same for everyone in it: unfinished first, then most urgent, then oldest. */
  async list(principal: Principal, query: InboxQueryDto): Promise<InboxPage> {
    const limit = query.limit ?? INBOX_DEFAULT_LIMIT;
    const rows = this.dataSource
      .getRepository(InboxTask)
      .createQueryBuilder('t')
      .select(summaryColumns.map((column) => `t.${column}`))
      .addSelect(`to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_created_at')
      .addSelect('(SELECT c.position FROM projection_checkpoints c WHERE c.name = :checkpoint)', 'read_position')
      .where('t.orgId = :orgId', { orgId: principal.orgId })
      .setParameter('checkpoint', readModelsCheckpoint);

    const visibility = visibilityCondition('t', principal);
    if (visibility) rows.andWhere(visibility.sql, visibility.parameters);

    const statuses = query.status ?? (query.showCompleted ? [] : unfinished);
    if (statuses.length > 0)
      rows.andWhere('t.statusRank IN (:...ranks)', { ranks: statuses.map((status) => statusRank[status]) });
    if (query.type !== undefined) rows.andWhere('t.taskType = :type', { type: query.type });
    if (query.tag !== undefined) rows.andWhere('t.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
    if (query.assignee === 'me' || query.assignedToMe) {
      // The caller, their groups, and (for tasks from before assignees were checked) their e-mail.
      rows.andWhere(
        `t.assignees && (SELECT array_agg(k) FROM (
            SELECT 'user:' || :me::text AS k
            UNION ALL SELECT 'legacy:' || u.email FROM users u WHERE u.id = :me::text::uuid
            UNION ALL SELECT 'group:' || g.id FROM user_group_members gm JOIN user_groups g ON g.id = gm.group_id
                       WHERE gm.user_id = :me::text::uuid AND g.org_id = :orgId) AS mine)`,
        { me: this.userId(principal, query.assignee === 'me' ? 'assignee' : 'assignedToMe') },
      );
    }
    if (query.assignee !== undefined && query.assignee !== 'me') {
      // A person or group by id (or kind:id), or an e-mail: the person, or a legacy label as the sender wrote it.
      rows.andWhere(
        `t.assignees && (SELECT array_agg(k) FROM (
            SELECT unnest(ARRAY['user:' || lower(:assignee), 'group:' || lower(:assignee), lower(:assignee), 'legacy:' || :assignee]) AS k
            UNION ALL SELECT 'user:' || m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
                       WHERE m.org_id = :orgId AND lower(u.email) = lower(:assignee)) AS named)`,
        { assignee: query.assignee },
      );
    }
    if (query.customer !== undefined) rows.andWhere('t.customerRef = :customer', { customer: query.customer });
    if (query.project !== undefined) rows.andWhere('t.projectRef = :project', { project: query.project });
    if (query.milestone !== undefined) rows.andWhere('t.milestoneRef = :milestone', { milestone: query.milestone });
    if (query.claimer !== undefined) {
      rows.andWhere('t.processedBy = :claimer', {
        claimer: query.claimer === 'me' ? this.userId(principal, 'claimer') : query.claimer,
      });
    }
    if (query.dueFrom !== undefined) rows.andWhere('t.dueAt >= :dueFrom', { dueFrom: query.dueFrom });
    if (query.dueTo !== undefined) rows.andWhere('t.dueAt < :dueTo', { dueTo: query.dueTo });
    if (query.q !== undefined && query.q.trim() !== '') {
      rows.andWhere(endsInWord.test(query.q) ? prefixSearch : wordSearch, { q: query.q });
    }
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (after) {
      rows.andWhere(
        '(t.statusRank, t.urgencyRank, t.createdAt, t.taskId) > (:afterRank, :afterUrgency, :afterCreatedAt::timestamptz, :afterId::uuid)',
        {
          afterRank: after.statusRank,
          afterUrgency: after.urgencyRank,
          afterCreatedAt: after.createdAt,
          afterId: after.taskId,
        },
      );
    }

    // One row more than asked says whether another page follows.
    const { entities, raw } = await rows
      .orderBy('t.statusRank', 'ASC')
      .addOrderBy('t.urgencyRank', 'ASC')
      .addOrderBy('t.createdAt', 'ASC')
      .addOrderBy('t.taskId', 'ASC')
      .limit(limit + 1)
      .getRawAndEntities<{ cursor_created_at: string; read_position: string | null }>();

    const page = entities.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      entities.length > limit && last
        ? encodeCursor({
            statusRank: last.statusRank,
            urgencyRank: last.urgencyRank,
            createdAt: raw[page.length - 1].cursor_created_at,
            taskId: last.taskId,
          })
        : null;
    const names = await this.people.names(principal.orgId, page.flatMap((row) => assigneeRefsOf(row.assignees)));
    return { items: page.map((row) => toTaskSummary(row, names)), nextCursor, position: raw[0]?.read_position ?? null };
  }

  /** "Me" filters need a person; API keys never claim or get assigned. */
  private userId(principal: Principal, field: string): string {
    if (principal.actor.kind !== 'user') throw invalidParam(field, `${field} needs a user session, not an API key`);
    return principal.actor.id;
  }
}
