// Reading a task's payload through its type's display layout. Everything here yields plain
// values that the view renders as text: nothing from a type definition or a payload is ever
// treated as markup, and only http(s) addresses may become links or pictures.

import type { Schema } from '@taskinbox/client';

/** One line of a type's display: the payload field (a JSON Pointer), its label and how to show it. */
export type LayoutField = Schema<'LayoutFieldDto'>;
export type DisplayFormat = LayoutField['format'];

/** The value at a JSON Pointer (RFC 6901) in the payload; undefined when absent. Own properties only. */
export function valueAt(payload: unknown, pointer: string): unknown {
  if (pointer === '') return payload;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = payload;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** What one layout line shows. */
export type Shown =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'image'; src: string; alt: string }
  | { kind: 'list'; items: string[] };

/** An absolute http(s) address, or null (javascript:, data: and the rest never become links). */
export function webAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const plain = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);

/** Money: a number, or {value|amount, currency}; shown in the reader's locale. */
function money(value: unknown): string {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  const amount = record ? (record.value ?? record.amount) : value;
  const currency =
    record && typeof record.currency === 'string' && /^[A-Z]{3}$/.test(record.currency) ? record.currency : null;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return plain(value);
  return currency
    ? new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount)
    : new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
}

function date(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return plain(value);
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  // A date alone is that calendar day wherever the reader is.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(
    undefined,
    dateOnly ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(parsed);
}

export function shownValue(line: LayoutField, payload: unknown): Shown {
  const value = valueAt(payload, line.field);
  if (value === undefined || value === null || value === '') return { kind: 'none' };
  switch (line.format) {
    case 'money':
      return { kind: 'text', text: money(value) };
    case 'date':
      return { kind: 'text', text: date(value) };
    case 'link': {
      const href = webAddress(value);
      return href ? { kind: 'link', href, text: plain(value) } : { kind: 'text', text: plain(value) };
    }
    case 'image': {
      const src = webAddress(value);
      return src ? { kind: 'image', src, alt: line.label } : { kind: 'text', text: plain(value) };
    }
    case 'list':
      return { kind: 'list', items: (Array.isArray(value) ? value : [value]).map(plain) };
    default:
      return { kind: 'text', text: plain(value) };
  }
}
