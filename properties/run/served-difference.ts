// Two answers to one observation step (qmp/observation.ts): equal as JSON, except that a checksum the impl does not
// model (bytes it does not follow: a qcow2 file read as raw, an uninitialised read) matches whatever QEMU read.
import type { JsonValue } from '../../qmp/types.ts';

const NOT_MODELLED = 'not-modelled';

function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as { readonly [k: string]: JsonValue };
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const unmodelled = (v: JsonValue | undefined): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { readonly sha256?: JsonValue }).sha256 === NOT_MODELLED;

/** Undefined when both sides answered the same; else both answers, short. */
export function servedDifference(impl: JsonValue | undefined, other: JsonValue | undefined): string | undefined {
  if (unmodelled(impl) || unmodelled(other)) return undefined;
  const a = canonical(impl);
  const b = canonical(other);
  return a === b ? undefined : `${b.slice(0, 400)} -> ${a.slice(0, 400)}`;
}
