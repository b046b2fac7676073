// Slightly invalid arguments: one key dropped, an unknown key, a wrong type, or a reference to no node.
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { pick } from './arb.ts';

type Perturbation = 'drop' | 'unknown' | 'retype' | 'dangle';

function apply(args: JsonObject, how: Perturbation, key: string): JsonObject {
  const out: Record<string, JsonValue> = { ...args };
  switch (how) {
    case 'drop':
      delete out[key];
      return out;
    case 'unknown':
      return { ...out, 'x-bogus': 1 };
    case 'retype':
      out[key] = typeof args[key] === 'string' ? 7 : 'seven';
      return out;
    case 'dangle':
      out[key] = 'nosuch';
      return out;
  }
}

export function perturb(args: JsonObject): fc.Arbitrary<JsonObject> {
  const keys = Object.keys(args);
  if (keys.length === 0) return fc.constant({ 'x-bogus': 1 });
  return fc
    .tuple(pick<Perturbation>(['drop', 'unknown', 'retype', 'dangle']), pick(keys))
    .map(([how, key]) => apply(args, how, key));
}

/** Valid arguments 19 times in 20, a perturbed copy otherwise. */
export function maybeInvalid(valid: fc.Arbitrary<JsonObject>): fc.Arbitrary<JsonObject> {
  return fc.oneof({ weight: 19, arbitrary: valid }, { weight: 1, arbitrary: valid.chain(perturb) });
}
