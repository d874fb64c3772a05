import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];

/**
 * class-validator looks up a class's rules by scanning the rules of every decorated class in the
 * process, for each object it validates (typestack/class-validator#2686): in the one-process app,
 * with every module's DTOs loaded, that scan was a tenth of a task create's CPU. A class's rules
 * are all registered when the class is defined, so each answer is kept; a rule registered later
 * (a class defined after start-up) clears what was kept, as does the grouping of a kept answer
 * by property. Installed once per process.
 */
export function rememberValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [installed]?: true };
  if (marked[installed]) return;
  marked[installed] = true;
  const lookUp: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let answers = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\0${always}\0${strictGroups}\0${groups?.join('\0') ?? ''}`;
    let byOptions = answers.get(target);
    if (!byOptions) answers.set(target, (byOptions = new Map()));
    let answer = byOptions.get(key);
    // Frozen: every caller shares it, and none may change it (none of class-validator's or Nest's does).
    if (!answer) byOptions.set(key, (answer = Object.freeze(lookUp(target, schema, always, strictGroups, groups)) as ReturnType<Lookup>));
    return answer;
  };
  // Each validation also groups its class's rules by property, allocating anew; a remembered
  // (frozen) answer always groups the same way, so that grouping is kept with it.
  const group = storage.groupByPropertyName.bind(storage);
  const groupings = new WeakMap<object, ReturnType<typeof group>>();
  storage.groupByPropertyName = (rules) => {
    if (!Object.isFrozen(rules)) return group(rules);
    let grouping = groupings.get(rules);
    if (!grouping) {
      grouping = group(rules);
      for (const list of Object.values(grouping)) Object.freeze(list);
      groupings.set(rules, Object.freeze(grouping));
    }
    return grouping;
  };
  storage.addValidationMetadata = (metadata) => {
    answers = new Map();
    addRule(metadata);
  };
}

const installed = Symbol('taskinbox.validation-metadata-remembered');
