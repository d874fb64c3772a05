// The forms a task may ask its end user to fill in: a small subset of JSON Schema (a flat object
// of strings, numbers, integers, booleans and enums) that a status page renders as a plain HTML
// form without script. Titles and descriptions are shown as text, never as markup.

export interface FormField {
  name: string;
  label: string;
  hint?: string;
  kind: 'text' | 'number' | 'integer' | 'boolean' | 'choice';
  required: boolean;
  options?: (string | number)[];
}

export const formLimits = { maxFields: 20, maxText: 500, maxOptions: 50 } as const;

const scalarTypes = ['string', 'number', 'integer', 'boolean'];
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `schema` is not a form a status page can show; empty when it is. */
export function formProblems(schema: unknown): string[] {
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) return ['form must be a JSON Schema of type object with properties'];
  const problems: string[] = [];
  const names = Object.keys(schema.properties);
  if (names.length === 0 || names.length > formLimits.maxFields) problems.push(`form must have 1 to ${formLimits.maxFields} properties`);
  for (const name of names) {
    const property = schema.properties[name];
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) problems.push(`form property '${name.slice(0, 64)}' must be a plain name (letters, digits, _)`);
    if (!isObject(property) || !scalarTypes.includes(property.type as string)) {
      problems.push(`form.properties.${name.slice(0, 64)} must have type string, number, integer or boolean`);
      continue;
    }
    for (const key of ['title', 'description'] as const) {
      if (property[key] !== undefined && (typeof property[key] !== 'string' || property[key].length > formLimits.maxText)) {
        problems.push(`form.properties.${name}.${key} must be text of at most ${formLimits.maxText} characters`);
      }
    }
    if (property.enum !== undefined) {
      const options = property.enum;
      if (!Array.isArray(options) || options.length === 0 || options.length > formLimits.maxOptions || !options.every((option) => ['string', 'number'].includes(typeof option))) {
        problems.push(`form.properties.${name}.enum must list 1 to ${formLimits.maxOptions} strings or numbers`);
      }
    }
  }
  if (schema.required !== undefined && (!Array.isArray(schema.required) || !schema.required.every((name) => typeof name === 'string' && names.includes(name)))) {
    problems.push('form.required must list properties of the form');
  }
  return problems;
}

/** The fields of a form that passed formProblems, in `order` (then any others in the schema's order). */
export function formFields(schema: Record<string, unknown>, order: readonly string[] = []): FormField[] {
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const names = [...new Set([...order.filter((name) => Object.hasOwn(properties, name)), ...Object.keys(properties)])];
  return names.map((name) => {
    const property = properties[name];
    const options = property.enum as (string | number)[] | undefined;
    const kind: FormField['kind'] = options ? 'choice' : property.type === 'string' ? 'text' : (property.type as 'number' | 'integer' | 'boolean');
    return {
      name,
      label: typeof property.title === 'string' ? property.title : name,
      ...(typeof property.description === 'string' ? { hint: property.description } : {}),
      kind,
      required: required.has(name),
      ...(options ? { options } : {}),
    };
  });
}

/**
 * The answer a browser form posted, typed as the schema says: numbers read as numbers, a checkbox
 * as true when sent and false when not, an empty text left out (so `required` catches it), an
 * enum value back to the option it names. Fields the form does not have are ignored.
 */
export function answerOf(posted: Record<string, unknown>, fields: FormField[]): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = posted[field.name];
    if (field.kind === 'boolean') {
      answer[field.name] = raw === 'on' || raw === 'true' || raw === true;
      continue;
    }
    if (raw === undefined || raw === '') continue;
    if (field.kind === 'choice') {
      answer[field.name] = field.options!.find((option) => String(option) === String(raw)) ?? raw;
    } else if (field.kind === 'number' || field.kind === 'integer') {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      answer[field.name] = typeof value === 'number' && Number.isFinite(value) ? value : raw;
    } else {
      answer[field.name] = raw;
    }
  }
  return answer;
}
