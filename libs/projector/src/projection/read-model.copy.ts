import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quote } from './read-model.tables';

/**
 * Rows written with COPY … FROM STDIN (CSV): one stream per table, encoded from the same
 * column-type maps the upserts use. Much cheaper per row than statements: what a rebuild
 * writes in bulk goes this way.
 */
export async function copyRows<Row extends object>(
  client: Client,
  table: string,
  columns: Record<keyof Row, string>,
  rows: Iterable<Row>,
): Promise<number> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const stream = client.query(
    copyFrom(`COPY ${quote(table)} (${names.map(quote).join(', ')}) FROM STDIN WITH (FORMAT csv)`),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let count = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += names.map((name) => csvField(row[name], columns[name])).join(',') + '\n';
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

/** One CSV field for a column of PostgreSQL type `type`: NULL is an empty unquoted field. */
export function csvField(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (type === 'jsonb') return csvQuote(JSON.stringify(value));
  if (type === 'text[]') return csvQuote(arrayLiteral(value as string[]));
  if (type === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return csvQuote(String(value));
}

const csvQuote = (text: string): string => (text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`);

/** A text[] literal: every element quoted, so commas, braces, NULL-like words and spaces stay text. */
const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
