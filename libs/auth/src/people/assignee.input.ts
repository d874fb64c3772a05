import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import type { AssigneeInput } from './people.directory';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each item a non-empty string of at most 200 characters, or `{kind: 'user'|'group', id: <uuid>}` and nothing else. */
@ValidatorConstraint({ name: 'isAssigneeList' })
export class IsAssigneeList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.length <= 20 && value.every(isAssigneeInput);
  }
  defaultMessage(): string {
    return "assignees must be at most 20 items, each a person's id or e-mail, a group's id, or {kind: 'user'|'group', id}";
  }
}

export function isAssigneeInput(item: unknown): item is AssigneeInput {
  if (typeof item === 'string') return item.trim().length > 0 && item.length <= 200;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const { kind, id, ...rest } = item as Record<string, unknown>;
  return (kind === 'user' || kind === 'group') && typeof id === 'string' && uuidShape.test(id) && Object.keys(rest).length === 0;
}

export const assigneeRefSchema = {
  type: 'object',
  required: ['kind', 'id'],
  additionalProperties: false,
  properties: { kind: { type: 'string', enum: ['user', 'group'] }, id: { type: 'string', format: 'uuid' } },
};

