import { getMetadataStorage } from 'class-validator';

type Lookup = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];
const MEMOIZED = Symbol('memoized');

/**
 * class-validator finds a class's rules by scanning every decorated class of the program on each `validate()`
 * (an `instanceof` test per class, for inherited rules: typestack/class-validator#2686), for the body and again for
 * each nested object: with this app's hundred-odd DTOs that scan is a visible share of an intake's CPU. A class's
 * rules, its own and inherited, are all registered when its module loads, before it can be validated, and never
 * change after: so the answer is kept per class and per (schema, always, strictGroups, groups), as twentyhq/twenty
 * does (#24085). Idempotent; returns the storage's lookup.
 */
export function memoizeValidationMetadata(): Lookup {
  const storage = getMetadataStorage();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with .call(this), below
  const original = storage.getTargetValidationMetadatas as Lookup & { [MEMOIZED]?: true };
  if (original[MEMOIZED]) return original;
  const byClass = new WeakMap<object, Map<string, ReturnType<Lookup>>>();
  const lookup: Lookup & { [MEMOIZED]?: true } = function (this: typeof storage, targetConstructor, targetSchema, always, strictGroups, groups) {
    if (typeof targetConstructor !== 'function') return original.call(this, targetConstructor, targetSchema, always, strictGroups, groups);
    let forClass = byClass.get(targetConstructor);
    if (!forClass) byClass.set(targetConstructor, (forClass = new Map<string, ReturnType<Lookup>>()));
    const key = JSON.stringify([targetSchema ?? null, !!always, !!strictGroups, groups ?? null]);
    let found = forClass.get(key);
    if (!found) forClass.set(key, (found = original.call(this, targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
  lookup[MEMOIZED] = true;
  storage.getTargetValidationMetadatas = lookup;
  return lookup;
}
