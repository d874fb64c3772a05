import { isUtf8 } from 'node:buffer';
import type { Config } from '@taskinbox/config';

export type InputLimits = Config['input'];

/** Where a value came from; the 400 says so, because a query parameter and a body field may share a name. */
export type InputLocation = 'body' | 'query' | 'path' | 'header';

export interface InputProblem {
  /** JSON path inside its location (`payload.items[2].name`), or the parameter or header name. */
  field: string;
  in: InputLocation;
  problems: string[];
}

/**
 * Input refused before any handler runs: what PostgreSQL would refuse (NUL in text and jsonb,
 * unpaired surrogates), what would exhaust the stack or the CPU (deep nesting, huge objects
 * and strings), and bytes that are not UTF-8. A 400 naming each field.
 */
export class InvalidInput extends Error {
  readonly code = 'invalid_input';

  constructor(readonly details: InputProblem[]) {
    super(`Invalid request: ${details.map(describe).join('; ')}.`);
    this.name = 'InvalidInput';
  }
}

/** A body that cannot be read as JSON at all: nothing in it can be named. */
export class UnreadableBody extends Error {
  readonly code = 'unreadable_body';
}

const nouns: Record<InputLocation, string> = { body: '', query: 'query parameter ', path: 'path parameter ', header: 'header ' };
// A whole location ('(body)', '(path)') reads as "the body", "the path".
const describe = (problem: InputProblem): string =>
  `${problem.field.startsWith('(') ? `the ${problem.field.slice(1, -1)}` : `${nouns[problem.in]}${problem.field}`} ${problem.problems.join(', ')}`;

// With the u flag a well-formed pair is one code point, so only an unpaired half matches.
const loneSurrogate = /\p{Surrogate}/u;
// Enough to name every broken field of a sloppy request without walking a hostile one for long.
const mostProblems = 10;

/** What is wrong with one string, if anything. */
function stringProblems(text: string, limits: InputLimits): string[] {
  const problems: string[] = [];
  if (text.length > limits.maxStringLength) problems.push(`is longer than ${limits.maxStringLength} characters`);
  if (text.includes('\u0000')) problems.push('must not contain NUL characters (\\u0000)');
  if (loneSurrogate.test(text)) problems.push('must not contain unpaired UTF-16 surrogates');
  return problems;
}

const identifier = /^[A-Za-z_$][\w$-]*$/;

/** `parent.key`, or `parent["odd key"]` for keys that are not plain names (shown escaped and cut short). */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (identifier.test(key) && key.length <= 100) return parent ? `${parent}.${key}` : key;
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  // JSON.stringify escapes NUL and unpaired surrogates, so the name itself is safe to echo.
  return `${parent}[${JSON.stringify(shown)}]`;
}

/**
 * Every problem (up to ten) of a parsed value from `location`. Iterative, so a value nested
 * 20,000 levels deep is refused at the limit instead of overflowing the stack; `root` names a
 * top-level value that is itself a string (a header, a query parameter).
 */
export function findInputProblems(value: unknown, location: InputLocation, limits: InputLimits, root = '(body)'): InputProblem[] {
  const found: InputProblem[] = [];
  const report = (field: string, problems: string[]) => {
    if (problems.length > 0 && found.length < mostProblems) found.push({ field: field || root, in: location, problems });
  };
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (pending.length > 0 && found.length < mostProblems) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      report(path, stringProblems(current, limits));
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limits.maxDepth) {
      report(path, [`is nested deeper than ${limits.maxDepth} levels`]);
      continue;
    }
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        pending.push({ value: current[index], path: childPath(path, index), depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxKeys) {
      report(path, [`has more than ${limits.maxKeys} keys`]);
      continue;
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      const keyPath = childPath(path, key);
      const keyProblems = key === '__proto__' ? ['is not allowed'] : stringProblems(key, limits);
      if (keyProblems.length > 0) report(keyPath, keyProblems.map((problem) => `(the key) ${problem}`));
      else pending.push({ value: (current as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
    }
  }
  return found;
}

/** Throws InvalidInput naming every problem of the given values; each value is checked as from its own location. */
export function assertAcceptableInput(
  values: { value: unknown; in: InputLocation; root?: string }[],
  limits: InputLimits,
): void {
  const problems = values.flatMap((entry) => findInputProblems(entry.value, entry.in, limits, entry.root)).slice(0, mostProblems);
  if (problems.length > 0) throw new InvalidInput(problems);
}

/**
 * Where JSON text first nests deeper than `maxDepth`, as a path, found by a linear scan before
 * parsing: JSON.parse itself takes about a second on a megabyte of `[[[[…`.
 */
export function tooDeepAt(text: string, maxDepth: number): string | undefined {
  const frames: ({ key: string } | { index: number })[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const top = frames.at(-1);
      if (expectKey && top && 'key' in top) top.key = readKey(text.slice(i, end + 1));
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= maxDepth) return frames.reduce<string>((path, frame) => childPath(path, 'key' in frame ? frame.key : frame.index), '');
      frames.push(c === 0x7b ? { key: '' } : { index: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = frames.at(-1);
      if (top && 'index' in top) top.index++;
      expectKey = top !== undefined && 'key' in top;
    } else if (c === 0x3a /* : */) {
      expectKey = false;
    }
  }
  return undefined;
}

/**
 * Whether `text` has at most `count` brackets that open (inside strings too): then it cannot nest
 * deeper than that, and the scan of tooDeepAt, which reads every key, is not needed.
 */
function opensAtMost(text: string, count: number): boolean {
  let seen = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) if (++seen > count) return false;
  }
  return true;
}

const readKey = (quoted: string): string => {
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted.slice(1, -1);
  }
};

/**
 * A request body (HTTP) or message (NATS) as JSON, or the reason it is refused: bytes that are
 * not UTF-8, nesting deeper than the limit, text that is not JSON. Its values are checked
 * separately (findInputProblems), with those of the query, path and headers.
 */
export function readJsonInput(bytes: Uint8Array, limits: InputLimits): unknown {
  if (!isUtf8(bytes)) throw new InvalidInput([{ field: '(body)', in: 'body', problems: ['is not valid UTF-8'] }]);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') throw new UnreadableBody("Body is empty but Content-Type is 'application/json'.");
  const deep = opensAtMost(text, limits.maxDepth) ? undefined : tooDeepAt(text, limits.maxDepth);
  if (deep !== undefined) {
    throw new InvalidInput([{ field: deep || '(body)', in: 'body', problems: [`is nested deeper than ${limits.maxDepth} levels`] }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableBody('Malformed JSON body.');
  }
}
