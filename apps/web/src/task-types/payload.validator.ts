import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import {
  createErrorHandler,
  type CustomValidator,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  toErrorSchema,
  type UiSchema,
  unwrapErrorHandler,
  type ValidationData,
  validationDataMerge,
  type ValidatorType,
} from '@rjsf/utils';

// rjsf's own validator compiles schemas with Ajv, i.e. `new Function`, which the app's
// Content-Security-Policy (script-src 'self') forbids. @cfworker/json-schema interprets the
// schema instead. The server validates again with its hardened Ajv; this is for quick feedback.

/** Keywords that only say "something below failed"; the failure itself is reported too. */
const summaries = new Set(['properties', 'items', 'prefixItems', 'additionalItems', '$ref', 'allOf', 'unevaluatedProperties', 'unevaluatedItems', 'dependentSchemas', 'if', 'then', 'else', 'contains']);

/** `#/customer/email` → `.customer.email` (rjsf's property paths); a missing required property is named as its own path. */
function propertyOf(unit: OutputUnit): string {
  const segments = unit.instanceLocation
    .replace(/^#/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~')));
  const missing = unit.keyword === 'required' ? /required property "(.+)"/.exec(unit.error)?.[1] : undefined;
  if (missing) segments.push(missing);
  return segments.map((segment) => `.${segment}`).join('');
}

function plainMessage(unit: OutputUnit): string {
  if (unit.keyword === 'required') return 'is required';
  if (unit.keyword === 'format') return unit.error.replace(/^String does not match format "(.+)"\.$/, 'must be a valid $1');
  return unit.error.replace(/\.$/, '');
}

export function validationErrors(schema: RJSFSchema, data: unknown): RJSFValidationError[] {
  const { errors } = new Validator(schema as Schema, '2020-12', false).validate(data);
  return errors
    .filter((unit) => !summaries.has(unit.keyword))
    .map((unit) => {
      const property = propertyOf(unit);
      const message = plainMessage(unit);
      return { name: unit.keyword, property, message, stack: `${property || '.'} ${message}`.trim(), schemaPath: unit.keywordLocation };
    });
}

/** rjsf's validator interface over @cfworker/json-schema: no eval, so the strict CSP holds. */
export const payloadValidator: ValidatorType = {
  validateFormData(
    formData: unknown,
    schema: RJSFSchema,
    customValidate?: CustomValidator,
    transformErrors?: ErrorTransformer,
    uiSchema?: UiSchema,
  ): ValidationData<unknown> {
    let errors = validationErrors(schema, formData ?? {});
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    const result = { errors, errorSchema: toErrorSchema(errors) };
    if (!customValidate) return result;
    const custom = customValidate(formData, createErrorHandler(formData), uiSchema);
    return validationDataMerge(result, unwrapErrorHandler(custom));
  },
  isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
    try {
      // Sub-schemas may point into the root's $defs: validate against the root with the sub-schema in its place.
      const { $defs, definitions } = rootSchema as { $defs?: unknown; definitions?: unknown };
      return new Validator({ ...(schema as Schema), ...($defs ? { $defs } : {}), ...(definitions ? { definitions } : {}) } as Schema, '2020-12', true).validate(formData).valid;
    } catch {
      return false;
    }
  },
  rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown) {
    try {
      return { errors: new Validator(schema as Schema, '2020-12', false).validate(formData).errors as Result[] };
    } catch (error) {
      return { validationError: error as Error };
    }
  },
};
