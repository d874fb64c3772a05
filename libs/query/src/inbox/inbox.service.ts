import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@taskinbox/auth';
import type { TaskStatus } from '@taskinbox/domain';
import { InboxTask, statusRank } from '@taskinbox/read-models';
import { invalidParam } from '../tasks/query-param.helpers';
import { visibilityCondition } from '../tasks/task.visibility';
import { decodeCursor, encodeCursor } from './inbox.cursor';
import { INBOX_DEFAULT_LIMIT, type InboxQueryDto } from './inbox-query.dto';
import { summaryColumns, type TaskSummary, toTaskSummary } from './task-summary.view';

export interface InboxPage {
  items: TaskSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
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
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's shared queue, the same for everyone in it: unfinished first, then oldest first. */
  async list(principal: Principal, query: InboxQueryDto): Promise<InboxPage> {
    const limit = query.limit ?? INBOX_DEFAULT_LIMIT;
    const rows = this.dataSource
      .getRepository(InboxTask)
      .createQueryBuilder('t')
      .select(summaryColumns.map((column) => `t.${column}`))
      .addSelect(`to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_created_at')
      .where('t.orgId = :orgId', { orgId: principal.orgId });

    const visibility = visibilityCondition('t', principal);
    if (visibility) rows.andWhere(visibility.sql, visibility.parameters);

    const statuses = query.status ?? (query.showCompleted ? [] : unfinished);
    if (statuses.length > 0)
      rows.andWhere('t.statusRank IN (:...ranks)', { ranks: statuses.map((status) => statusRank[status]) });
    if (query.type !== undefined) rows.andWhere('t.taskType = :type', { type: query.type });
    if (query.tag !== undefined) rows.andWhere('t.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
    if (query.customer !== undefined) rows.andWhere('t.customerRef = :customer', { customer: query.customer });
    if (query.project !== undefined) rows.andWhere('t.projectRef = :project', { project: query.project });
    if (query.assignee !== undefined)
      rows.andWhere('t.assignees @> ARRAY[:assignee]::text[]', { assignee: query.assignee });
    if (query.claimer !== undefined) {
      rows.andWhere('t.processedBy = :claimer', {
        claimer: query.claimer === 'me' ? this.userId(principal, 'claimer') : query.claimer,
      });
    }
    if (query.assignedToMe) {
      // Senders name assignees by user id or by e-mail.
      rows.andWhere('t.assignees && ARRAY[:me::text, (SELECT u.email FROM users u WHERE u.id = :me::text::uuid)]', {
        me: this.userId(principal, 'assignedToMe'),
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
        '(t.statusRank, t.createdAt, t.taskId) > (:afterRank, :afterCreatedAt::timestamptz, :afterId::uuid)',
        {
          afterRank: after.statusRank,
          afterCreatedAt: after.createdAt,
          afterId: after.taskId,
        },
      );
    }

    // One row more than asked says whether another page follows.
    const { entities, raw } = await rows
      .orderBy('t.statusRank', 'ASC')
      .addOrderBy('t.createdAt', 'ASC')
      .addOrderBy('t.taskId', 'ASC')
      .limit(limit + 1)
      .getRawAndEntities<{ cursor_created_at: string }>();

    const page = entities.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      entities.length > limit && last
        ? encodeCursor({
            statusRank: last.statusRank,
            createdAt: raw[page.length - 1].cursor_created_at,
            taskId: last.taskId,
          })
        : null;
    return { items: page.map(toTaskSummary), nextCursor };
  }

  /** "Me" filters need a person; API keys never claim or get assigned. */
  private userId(principal: Principal, field: string): string {
    if (principal.actor.kind !== 'user') throw invalidParam(field, `${field} needs a user session, not an API key`);
    return principal.actor.id;
  }
}
