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
  const writer = new CopyWriter(client, table, columns);
  try {
    for (const row of rows) {
      const full = writer.write(row);
      if (full) await full;
    }
  } catch (error) {
    // Ended, so that the session is free for the caller's clean-up.
    await writer.end().catch(() => undefined);
    throw error;
  }
  return writer.end();
}

/**
 * One COPY of rows written one at a time, so that each row can be dropped as soon as it is
 * encoded: a rebuild streams each read's timeline rows through one as it folds them. write()
 * returns a promise only when the connection is full and the caller must wait for it.
 */
export class CopyWriter<Row extends object> {
  private readonly encode: (row: Row) => string;
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;
  // Lines go straight into bytes: a string built of many rows is a rope that the socket write
  // must first flatten, which cost more than encoding the rows.
  private chunk = Buffer.allocUnsafe(chunkBytes);
  private used = 0;
  private count = 0;
  private failed = false;

  constructor(client: Client, table: string, columns: Record<keyof Row, string>) {
    const names = Object.keys(columns);
    this.encode = rowEncoder(columns);
    this.stream = client.query(copyFrom(`COPY ${quote(table)} (${names.map(quote).join(', ')}) FROM STDIN`));
    this.done = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (error) => {
        this.failed = true;
        reject(error);
      });
    });
    // Settled here so a failure before end() does not go unhandled; end() still throws it.
    this.done.catch(() => undefined);
  }

  write(row: Row): Promise<void> | undefined {
    // The COPY failed: the caller stops here, with its error.
    if (this.failed) return this.done;
    const line = this.encode(row);
    this.count++;
    // At most three bytes of UTF-8 per UTF-16 unit: a line that may not fit goes into a chunk of its own.
    if (this.used + line.length * 3 > this.chunk.length) {
      const full = this.flush();
      if (line.length * 3 > this.chunk.length) this.chunk = Buffer.allocUnsafe(line.length * 3);
      this.used = this.chunk.write(line);
      return full;
    }
    this.used += this.chunk.write(line, this.used);
    // Writes of a few hundred kilobytes: few enough calls, and memory stays flat.
    return this.used < flushBytes ? undefined : this.flush();
  }

  /** Ends the COPY; resolves with the rows written once the server has them all. */
  async end(): Promise<number> {
    if (!this.stream.writableEnded) this.stream.end(this.chunk.subarray(0, this.used));
    this.used = 0;
    await this.done;
    return this.count;
  }

  /** Hands the chunk to the stream (which keeps it) and starts a new one; a promise when the caller must wait. */
  private flush(): Promise<void> | undefined {
    const full = this.used > 0 && !this.stream.write(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.used = 0;
    return full ? this.drained() : undefined;
  }

  // Settles on a failure too, which end() then reports.
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const settle = (): void => {
        this.stream.off('drain', settle);
        this.stream.off('error', settle);
        resolve();
      };
      this.stream.on('drain', settle);
      this.stream.on('error', settle);
    });
  }
}

const flushBytes = 256 * 1024;
const chunkBytes = 2 * flushBytes;

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
  if (type === 'jsonb') return orNull((value: unknown) => escapeJson(JSON.stringify(value)));
  if (type === 'text[]') return orNull((value: string[]) => escape(arrayLiteral(value)));
  if (type === 'boolean') return orNull((value: unknown) => (value ? 't' : 'f'));
  return orNull((value: unknown) => (typeof value === 'number' ? String(value) : escape(String(value))));
}

const special = /[\\\n\r\t]/;
const specials = /[\\\n\r\t]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escape = (text: string): string => (special.test(text) ? text.replace(specials, (char) => escapes[char]) : text);

/** JSON text has its control characters escaped already (\n is backslash, n): only the backslash is special. */
const escapeJson = (json: string): string => (json.includes('\\') ? json.replace(/\\/g, '\\\\') : json);

/** A text[] literal: every element quoted, so commas, braces, NULL-like words and spaces stay text. */
const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
