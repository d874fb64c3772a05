import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { toOpenSlo, type SloDefinition } from '../pure/openslo';
import { SloNotFound } from '../slo.errors';
import type { SloDto, SloView } from './slo.dto';

interface SloRow {
  id: string;
  org_id: string;
  name: string;
  task_type: string;
  target: number;
  within_business_hours: number;
  window_days: number;
  openslo: Record<string, unknown>;
  updated_at: Date;
}

export interface StoredSlo extends SloDefinition {
  orgId: string;
}

/** SLO definitions of an organisation; the OpenSLO document is written with each change. */
export class SloService {
  constructor(private readonly pool: Pool) {}

  async create(orgId: string, input: SloDto): Promise<SloView> {
    const definition = toDefinition(uuidv7(), input);
    const { rows } = await this.pool.query<SloRow>(
      `INSERT INTO slos (id, org_id, name, task_type, target, within_business_hours, window_days, openslo)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        definition.id,
        orgId,
        definition.name,
        definition.taskType,
        definition.target,
        definition.withinBusinessHours,
        definition.windowDays,
        toOpenSlo(definition),
      ],
    );
    return view(rows[0]);
  }

  async replace(orgId: string, id: string, input: SloDto): Promise<SloView> {
    const definition = toDefinition(id, input);
    const { rows } = await this.pool.query<SloRow>(
      `UPDATE slos SET name = $3, task_type = $4, target = $5, within_business_hours = $6, window_days = $7, openslo = $8, updated_at = now()
       WHERE org_id = $1 AND id = $2 RETURNING *`,
      [
        orgId,
        id,
        definition.name,
        definition.taskType,
        definition.target,
        definition.withinBusinessHours,
        definition.windowDays,
        toOpenSlo(definition),
      ],
    );
    if (!rows[0]) throw new SloNotFound();
    return view(rows[0]);
  }

  async list(orgId: string): Promise<SloView[]> {
    const { rows } = await this.pool.query<SloRow>(
      `SELECT * FROM slos WHERE org_id = $1 ORDER BY task_type, created_at, id`,
      [orgId],
    );
    return rows.map(view);
  }

  async get(orgId: string, id: string): Promise<SloView> {
    return view(await this.row(orgId, id));
  }

  async definition(orgId: string, id: string): Promise<StoredSlo> {
    return stored(await this.row(orgId, id));
  }

  async remove(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query(`DELETE FROM slos WHERE org_id = $1 AND id = $2`, [orgId, id]);
    if (!rowCount) throw new SloNotFound();
  }

  /** Every SLO of every organisation, for the burn-rate timer. */
  async all(): Promise<StoredSlo[]> {
    const { rows } = await this.pool.query<SloRow>(`SELECT * FROM slos ORDER BY id`);
    return rows.map(stored);
  }

  private async row(orgId: string, id: string): Promise<SloRow> {
    const { rows } = await this.pool.query<SloRow>(`SELECT * FROM slos WHERE org_id = $1 AND id = $2`, [orgId, id]);
    if (!rows[0]) throw new SloNotFound();
    return rows[0];
  }
}

// Percentages are kept to the thousandth, so 99.9 stays 99.9 and not 99.90000000000001.
const toDefinition = (id: string, input: SloDto): SloDefinition => ({
  id,
  name: input.name,
  taskType: input.taskType,
  target: Math.round(input.targetPercent * 1000) / 100000,
  withinBusinessHours: input.withinBusinessHours,
  windowDays: input.windowDays,
});

const stored = (row: SloRow): StoredSlo => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  taskType: row.task_type,
  target: row.target,
  withinBusinessHours: row.within_business_hours,
  windowDays: row.window_days,
});

const view = (row: SloRow): SloView => ({
  id: row.id,
  name: row.name,
  taskType: row.task_type,
  targetPercent: Math.round(row.target * 100000) / 1000,
  withinBusinessHours: row.within_business_hours,
  windowDays: row.window_days,
  openslo: row.openslo,
  updatedAt: row.updated_at.toISOString(),
});
