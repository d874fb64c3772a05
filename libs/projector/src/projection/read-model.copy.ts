import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quote } from './read-model.tables';

/**
 * Rows written with COPY … FROM STDIN (text format): one stream per table, encoded from the
 * same column-type maps the upserts use. Much cheaper per row than statements: what a rebuild
 * writes in bulk goes this way. Text rather than CSV: JSON needs no quoting there, only the
 * rare backslash, tab or line break is escaped.
 */
export async function copyRows<Row extends object>(
  client: Client,
  table: string,
  columns: Record<keyof Row, string>,
  rows: Iterable<Row>,
): Promise<number> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const encode = rowEncoder(columns);
  const stream = client.query(copyFrom(`COPY ${quote(table)} (${names.map(quote).join(', ')}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let count = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += encode(row);
    count++;
    // Writes of a few hundred kilobytes: few enough calls, and memory stays flat.
    if (chunk.length >= 256 * 1024) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
  return count;
}

/** One row's line: its fields in the columns' order, each encoded for its column's type. */
function rowEncoder<Row extends object>(columns: Record<keyof Row, string>): (row: Row) => string {
  const fields = (Object.entries(columns) as [keyof Row, string][]).map(([name, type]) => {
    const encode = fieldEncoder(type);
    return (row: Row): string => encode(row[name]);
  });
  return (row) => {
    let line = fields[0](row);
    for (let index = 1; index < fields.length; index++) line += '\t' + fields[index](row);
    return line + '\n';
  };
}

/** The encoder of one field of PostgreSQL type `type`: NULL is \N. */
function fieldEncoder(type: string): (value: unknown) => string {
  const orNull =
    (encode: (value: never) => string) =>
    (value: unknown): string =>
      value === null || value === undefined ? '\\N' : encode(value as never);
  if (type === 'jsonb') return orNull((value: unknown) => escape(JSON.stringify(value)));
  if (type === 'text[]') return orNull((value: string[]) => escape(arrayLiteral(value)));
  if (type === 'boolean') return orNull((value: unknown) => (value ? 't' : 'f'));
  return orNull((value: unknown) => (typeof value === 'number' ? String(value) : escape(String(value))));
}

const special = /[\\\n\r\t]/;
const specials = /[\\\n\r\t]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escape = (text: string): string => (special.test(text) ? text.replace(specials, (char) => escapes[char]) : text);

/** A text[] literal: every element quoted, so commas, braces, NULL-like words and spaces stay text. */
const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
