import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeopleDirectory, type Principal } from '@taskinbox/auth';
import { InboxTask, TimelineEntry } from '@taskinbox/read-models';
import { assigneeRefsOf } from '../inbox/task-summary.view';
import { type TaskTimeline, toTaskDetail, toTimelineEntryView } from './task-timeline.view';
import { canSee } from './task.visibility';

@Injectable()
export class TaskTimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly people: PeopleDirectory,
  ) {}

  /** A task and its history from the read models; another organisation's task is reported as missing. */
  async get(principal: Principal, taskId: string): Promise<TaskTimeline> {
    const task = await this.dataSource.getRepository(InboxTask).findOneBy({ taskId, orgId: principal.orgId });
    if (!task || !canSee(task, principal)) throw new NotFoundException('Task not found.');
    const entries = await this.dataSource
      .getRepository(TimelineEntry)
      .find({ where: { taskId, orgId: principal.orgId }, order: { revision: 'ASC' } });
    const names = await this.people.names(principal.orgId, assigneeRefsOf(task.assignees));
    return { task: toTaskDetail(task, principal.actor, names), timeline: entries.map(toTimelineEntryView) };
  }
}
