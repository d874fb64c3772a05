import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeopleDirectory, type Principal } from '@taskinbox/auth';
import { InboxTask, readModelsCheckpoint, TimelineEntry } from '@taskinbox/read-models';
import { assigneeRefsOf } from '../inbox/task-summary.view';
import { type TaskTimeline, toTaskDetail, toTimelineEntryView } from './task-timeline.view';
import { canSee } from './task.visibility';

@Injectable()
export class TaskTimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly people: PeopleDirectory,
  ) {}

  /**
   * A task and its history from the read models; another organisation's task is reported as missing.
   * The position is the read models' checkpoint in the task row's own statement; the history is
   * read after it, so it is at least that far along too.
   */
  async get(principal: Principal, taskId: string): Promise<TaskTimeline> {
    const { entities, raw } = await this.dataSource
      .getRepository(InboxTask)
      .createQueryBuilder('t')
      .addSelect('(SELECT c.position FROM projection_checkpoints c WHERE c.name = :checkpoint)', 'read_position')
      .where('t.taskId = :taskId AND t.orgId = :orgId', { taskId, orgId: principal.orgId })
      .setParameter('checkpoint', readModelsCheckpoint)
      .getRawAndEntities<{ read_position: string | null }>();
    const task = entities[0];
    if (!task || !canSee(task, principal)) throw new NotFoundException('Task not found.');
    const entries = await this.dataSource
      .getRepository(TimelineEntry)
      .find({ where: { taskId, orgId: principal.orgId }, order: { revision: 'ASC' } });
    const names = await this.people.names(principal.orgId, assigneeRefsOf(task.assignees));
    return {
      task: toTaskDetail(task, principal.actor, names),
      timeline: entries.map(toTimelineEntryView),
      position: raw[0].read_position,
    };
  }
}
