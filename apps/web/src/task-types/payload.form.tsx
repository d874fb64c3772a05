// The Form alone: the package's index also pulls in a test helper that needs the Ajv validator (and eval).
import Form from '@rjsf/core/lib/components/Form.js';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { RefObject } from 'react';
import { payloadValidator } from './payload.validator';
import './payload-form.css';

/**
 * A type's UI schema as an admin wrote it, minus what could put markup in the page: rjsf renders
 * titles, descriptions and help as text, except with markdown switched on, so that stays off.
 */
export function safeUiSchema(value: unknown): UiSchema {
  if (Array.isArray(value)) return value.map(safeUiSchema) as unknown as UiSchema;
  if (!value || typeof value !== 'object') return value as UiSchema;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'ui:enableMarkdownInDescription' && key !== 'ui:field' && key !== 'ui:ObjectFieldTemplate')
      .map(([key, inner]) => [key, safeUiSchema(inner)]),
  );
}

/**
 * The payload of a typed task, as a form generated from the type's JSON Schema (react-jsonschema-form).
 * It renders inside the page's own form (as a div), which asks `formRef` to validate before sending.
 */
export function PayloadFields({
  schema,
  uiSchema,
  value,
  onChange,
  formRef,
}: {
  schema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  formRef: RefObject<Form | null>;
}) {
  return (
    <div className="payload-form">
      <Form
        tagName="div"
        ref={formRef}
        schema={schema as RJSFSchema}
        uiSchema={{ ...safeUiSchema(uiSchema ?? {}), 'ui:submitButtonOptions': { norender: true } }}
        formData={value}
        validator={payloadValidator}
        onChange={(event) => onChange((event.formData ?? {}) as Record<string, unknown>)}
        showErrorList={false}
        noHtml5Validate
      />
    </div>
  );
}
