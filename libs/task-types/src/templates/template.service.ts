import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type NamedAssignee, PeopleDirectory } from '@taskinbox/auth';
import { InjectPool } from '@taskinbox/database';
import type { AssigneeRef } from '@taskinbox/domain';
import { TemplateNameTaken, TemplateNotFound } from '../task-types.errors';
import type { TemplateDto, TemplateView, UpdateTemplateDto } from './template.dto';

/** A template as stored: assignees already resolved to refs of the organisation. */
export type TemplateDefinition = Omit<TemplateDto, 'name' | 'assignees'> & { assignees: AssigneeRef[] };

export interface Template extends TemplateDefinition {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

const uniqueViolation = '23505';
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Task templates of an organisation (configuration, edited in place). */
@Injectable()
export class TemplateService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly people: PeopleDirectory,
  ) {}

  async create(orgId: string, body: TemplateDto): Promise<TemplateView> {
    const { name, ...rest } = body;
    const definition: TemplateDefinition = { ...rest, assignees: await this.people.resolve(orgId, body.assignees ?? []) };
    const id = uuidv7();
    try {
      await this.pool.query('INSERT INTO task_templates (id, org_id, name, definition) VALUES ($1, $2, $3, $4)', [id, orgId, name.trim(), definition]);
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) throw new TemplateNameTaken(name);
      throw error;
    }
    return this.view(orgId, await this.get(orgId, id));
  }

  async list(orgId: string): Promise<TemplateView[]> {
    const { rows } = await this.pool.query('SELECT * FROM task_templates WHERE org_id = $1 ORDER BY name', [orgId]);
    return Promise.all(rows.map((row) => this.view(orgId, fromRow(row))));
  }

  async get(orgId: string, id: string): Promise<Template> {
    if (!uuidShape.test(id)) throw new TemplateNotFound();
    const { rows } = await this.pool.query('SELECT * FROM task_templates WHERE org_id = $1 AND id = $2', [orgId, id]);
    if (!rows[0]) throw new TemplateNotFound();
    return fromRow(rows[0]);
  }

  async update(orgId: string, id: string, body: UpdateTemplateDto): Promise<TemplateView> {
    const current = await this.get(orgId, id);
    const { name, assignees, ...rest } = body;
    const definition: TemplateDefinition = {
      ...withoutMeta(current),
      ...rest,
      assignees: assignees ? await this.people.resolve(orgId, assignees) : current.assignees,
    };
    try {
      await this.pool.query('UPDATE task_templates SET name = $3, definition = $4, updated_at = now() WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
        (name ?? current.name).trim(),
        definition,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) throw new TemplateNameTaken(name ?? current.name);
      throw error;
    }
    return this.view(orgId, await this.get(orgId, id));
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!uuidShape.test(id)) throw new TemplateNotFound();
    const { rowCount } = await this.pool.query('DELETE FROM task_templates WHERE org_id = $1 AND id = $2', [orgId, id]);
    if (rowCount !== 1) throw new TemplateNotFound();
  }

  async view(orgId: string, template: Template): Promise<TemplateView> {
    const assignees: NamedAssignee[] = await this.people.name(orgId, template.assignees);
    return { ...template, assignees };
  }
}

function withoutMeta(template: Template): TemplateDefinition {
  const { id: _id, name: _name, createdAt: _created, updatedAt: _updated, ...definition } = template;
  return definition;
}

function fromRow(row: { id: string; name: string; definition: TemplateDefinition; created_at: Date; updated_at: Date }): Template {
  return { ...row.definition, id: row.id, name: row.name, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}
