import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool } from '@taskinbox/database';
import type { AssigneeRef } from '@taskinbox/domain';
import { InvalidInput } from '@taskinbox/http';

/** How callers name an assignee: `{kind, id}`, or a string (a person's id or e-mail, a group's id, `user:<id>`, `group:<id>`). */
export type AssigneeInput = string | AssigneeRef;

export interface NamedAssignee extends AssigneeRef {
  name: string;
}

export interface PersonEntry {
  id: string;
  name: string;
  email: string;
  role: string;
  /** Ids of the groups the person is in. */
  groups: string[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const refKey = (ref: AssigneeRef): string => `${ref.kind}:${ref.id}`;

/**
 * The people and groups of an organisation as assignees: resolves what callers send into refs,
 * refusing anything that is not a (non-blocked) member or a group of that organisation, and
 * names refs for views. Assignees are read here, never trusted from the caller.
 */
@Injectable()
export class PeopleDirectory {
  constructor(@InjectPool() private readonly pool: Pool) {}

  /** Refs for `inputs`, in order and without repeats; a 400 naming the field of each unknown one. */
  async resolve(
    orgId: string,
    inputs: readonly AssigneeInput[],
    fieldOf: (index: number) => string = (index) => `assignees[${index}]`,
  ): Promise<AssigneeRef[]> {
    const wanted = inputs.map(parse);
    const ids = [...new Set(wanted.flatMap((w) => (w.id ? [w.id] : [])))];
    const emails = [...new Set(wanted.flatMap((w) => (w.email ? [w.email] : [])))];
    const { rows } = await this.pool.query<{ kind: 'user' | 'group'; id: string; email: string | null }>(
      `SELECT 'user' AS kind, u.id::text AS id, lower(u.email) AS email
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1 AND m.blocked_at IS NULL AND (u.id = ANY($2::uuid[]) OR lower(u.email) = ANY($3::text[]))
       UNION ALL
       SELECT 'group', g.id::text, NULL FROM user_groups g WHERE g.org_id = $1 AND g.id = ANY($2::uuid[])`,
      [orgId, ids, emails],
    );
    const problems: { field: string; in: 'body'; problems: string[] }[] = [];
    const refs: AssigneeRef[] = [];
    wanted.forEach((want, index) => {
      const found = rows.find(
        (row) => (want.email ? row.email === want.email : row.id === want.id) && (want.kind === undefined || row.kind === want.kind),
      );
      if (!found) {
        problems.push({ field: fieldOf(index), in: 'body', problems: [`is not a person or group of this organisation (${want.label})`] });
      } else if (!refs.some((ref) => ref.kind === found.kind && ref.id === found.id)) {
        refs.push({ kind: found.kind, id: found.id });
      }
    });
    if (problems.length > 0) throw new InvalidInput(problems);
    return refs;
  }

  /** The refs with their current names; a person or group gone since keeps its id as its name. */
  async name(orgId: string, refs: readonly AssigneeRef[]): Promise<NamedAssignee[]> {
    const names = await this.names(orgId, refs);
    return refs.map((ref) => ({ ...ref, name: names.get(refKey(ref)) ?? ref.id }));
  }

  /** Names of many refs at once (for lists), keyed `kind:id`. */
  async names(orgId: string, refs: readonly AssigneeRef[]): Promise<Map<string, string>> {
    const ids = [...new Set(refs.filter((ref) => uuid.test(ref.id)).map((ref) => ref.id))];
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ key: string; name: string }>(
      `SELECT 'user:' || u.id AS key, u.name FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1 AND u.id = ANY($2::uuid[])
       UNION ALL
       SELECT 'group:' || g.id, g.name FROM user_groups g WHERE g.org_id = $1 AND g.id = ANY($2::uuid[])`,
      [orgId, ids],
    );
    return new Map(rows.map((row) => [row.key, row.name]));
  }

  /** The organisation's people who can act (not blocked), with their groups, and its groups: what an assignee picker offers. */
  async list(orgId: string): Promise<{ people: PersonEntry[]; groups: { id: string; name: string }[] }> {
    const [people, groups] = await Promise.all([
      this.pool.query<PersonEntry>(
        `SELECT u.id, u.name, u.email, m.role,
                coalesce(array_agg(g.id ORDER BY g.name) FILTER (WHERE g.id IS NOT NULL), '{}') AS groups
           FROM memberships m JOIN users u ON u.id = m.user_id
           LEFT JOIN user_group_members gm ON gm.user_id = u.id
           LEFT JOIN user_groups g ON g.id = gm.group_id AND g.org_id = m.org_id
          WHERE m.org_id = $1 AND m.blocked_at IS NULL
          GROUP BY u.id, m.role ORDER BY u.name, u.id`,
        [orgId],
      ),
      this.pool.query<{ id: string; name: string }>('SELECT id, name FROM user_groups WHERE org_id = $1 ORDER BY name', [orgId]),
    ]);
    return { people: people.rows, groups: groups.rows };
  }

  /** The groups a person is in, within the organisation (for assigned-only scopes). */
  async groupsOf(orgId: string, userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT g.id FROM user_group_members gm JOIN user_groups g ON g.id = gm.group_id WHERE g.org_id = $1 AND gm.user_id = $2`,
      [orgId, userId],
    );
    return rows.map((row) => row.id);
  }
}

// An id that is not a UUID can name nobody: it stays undefined and is reported as unknown.
function parse(input: AssigneeInput): { kind?: 'user' | 'group'; id?: string; email?: string; label: string } {
  if (typeof input === 'object') return { kind: input.kind, id: uuid.test(input.id) ? input.id.toLowerCase() : undefined, label: `${input.kind} ${input.id}` };
  const prefixed = /^(user|group):(.*)$/.exec(input);
  if (prefixed) {
    const id = prefixed[2];
    return { kind: prefixed[1] as 'user' | 'group', id: uuid.test(id) ? id.toLowerCase() : undefined, label: input };
  }
  if (uuid.test(input)) return { id: input.toLowerCase(), label: input };
  if (input.includes('@')) return { email: input.trim().toLowerCase(), label: input };
  return { id: undefined, label: input };
}
