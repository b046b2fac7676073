// Two answers to one observation step (qmp/observation.ts): equal as JSON, except that a checksum the impl does not
// model (bytes or allocation it does not follow: a qcow2 file read as raw, an uninitialised read) matches QEMU's.
import { isNotModelled } from '../../qmp/observation.ts';
import type { JsonValue } from '../../qmp/types.ts';

function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as { readonly [k: string]: JsonValue };
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Undefined when both sides answered the same; else both answers, short. */
export function servedDifference(impl: JsonValue | undefined, other: JsonValue | undefined): string | undefined {
  if (isNotModelled(impl) || isNotModelled(other)) return undefined;
  const a = canonical(impl);
  const b = canonical(other);
  return a === b ? undefined : `${b.slice(0, 400)} -> ${a.slice(0, 400)}`;
}
