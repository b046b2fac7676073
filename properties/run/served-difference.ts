// Two answers to one observation step (qmp/observation.ts): equal as JSON, except that a checksum the impl does not
// model (bytes or allocation it does not follow: a qcow2 file read as raw, an uninitialised read) matches QEMU's.
import { isNotModelled, type ServedExtent } from '../../qmp/observation.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { extentsDiffer, extentsOf } from '../invariants/served-steps.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

export interface ServedDifference {
  /** Both answers, short: the other target's, then the first's. */
  readonly text: string;
  /** What differs, without numbers: `status:depth`, `status:length`, `checksum:sha256`, `checksum:length`. */
  readonly what: string;
}

function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as { readonly [k: string]: JsonValue };
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const lengthOf = (xs: readonly ServedExtent[]): number => xs.reduce((n, x) => Math.max(n, x.start + x.length), 0);

function whatDiffers(impl: JsonValue | undefined, other: JsonValue | undefined): string {
  if (Array.isArray(impl) && Array.isArray(other)) {
    const [a, b] = [extentsOf(impl), extentsOf(other)];
    return `status:${lengthOf(a) !== lengthOf(b) ? 'length' : (extentsDiffer(a, b) ?? 'extents')}`;
  }
  const field = (v: JsonValue | undefined, k: string): JsonValue | undefined => (isObjectValue(v) ? v[k] : undefined);
  if (field(impl, 'sha256') !== undefined || field(other, 'sha256') !== undefined) return `checksum:${field(impl, 'length') !== field(other, 'length') ? 'length' : 'sha256'}`;
  return 'answer';
}

/** Undefined when both sides answered the same; else both answers, short, and what differs. */
export function servedDifference(impl: JsonValue | undefined, other: JsonValue | undefined): ServedDifference | undefined {
  if (isNotModelled(impl) || isNotModelled(other)) return undefined;
  const a = canonical(impl);
  const b = canonical(other);
  return a === b ? undefined : { text: `${b.slice(0, 400)} -> ${a.slice(0, 400)}`, what: whatDiffers(impl, other) };
}
