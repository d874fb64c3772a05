// Labels an agent reports and device groups select on: one rule for the server and the agent.
export const labelKeyPattern = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
export const labelValuePattern = /^[^\u0000-\u001f\u007f]{0,200}$/;

/** What is wrong with a label map, or undefined: at most 20 entries, keys like `role` or `site/rack`, short printable values. */
export function labelProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of label: value';
  const entries = Object.entries(value);
  if (entries.length > 20) return 'may hold at most 20 labels';
  for (const [key, text] of entries) {
    if (!labelKeyPattern.test(key)) return `key '${key.slice(0, 64)}' must be lowercase letters, digits, . _ / - (1-63)`;
    if (typeof text !== 'string' || !labelValuePattern.test(text))
      return `value of '${key}' must be printable text of at most 200 characters`;
  }
  return undefined;
}
