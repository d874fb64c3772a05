// Building an action's arguments from the task (argsFrom) and from what the caller gave. Pure.

/** The value at a JSON Pointer (RFC 6901) inside `root`; undefined when any step is missing. */
export function pointerValue(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(step)) node = node[Number(step)];
    else if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, step)) node = (node as Record<string, unknown>)[step];
    else return undefined;
  }
  return node;
}

/**
 * The arguments an action is sent: what the caller gave, then every argsFrom pointer resolved
 * against `{ payload, task }`. The task's own values win over given ones of the same name, so a
 * caller cannot send an action about another order than the task's.
 */
export function actionArgs(
  argsFrom: Record<string, string> | undefined,
  source: { payload: Record<string, unknown>; task: Record<string, unknown> },
  given: Record<string, unknown>,
): Record<string, unknown> {
  const args: Record<string, unknown> = { ...given };
  for (const [name, pointer] of Object.entries(argsFrom ?? {})) {
    const value = pointerValue(source, pointer);
    if (value === undefined) delete args[name];
    else args[name] = value;
  }
  return args;
}
