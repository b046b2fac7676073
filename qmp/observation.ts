// Observation steps: a scenario step that asks what a node serves instead of changing the graph. On the wire of a
// scenario they are commands `{"execute": "observe-block-status" | "observe-checksum", "arguments": {"node-name": N}}`
// (QEMU has no such commands: each target answers them its own way, QEMU through an NBD export of the node), and
// their result is the step's `return`, recorded and compared like a query's.
import type { JsonValue, QmpCommand } from './types.ts';

export const OBSERVATION_NAMES = ['observe-block-status', 'observe-checksum'] as const;
export type ObservationName = (typeof OBSERVATION_NAMES)[number];

/** What an observation step asks (not properties/run/observation.ts's Observation, which is what any step showed). */
export interface ObservationStep {
  readonly kind: ObservationName;
  readonly node: string;
}

/**
 * One extent of a node's block status, as `qemu-img map --output=json` prints the NBD export of the node: `data` and
 * `zero` from the `base:allocation` context; `depth` from `qemu:allocation-depth` (QEMU 7.2: 0 allocated nowhere,
 * 1 in the node's own layer (a filter answers for its child's), 2 in a layer below); `present` is `depth > 0`.
 */
export interface ServedExtent {
  readonly start: number;
  readonly length: number;
  readonly depth: 0 | 1 | 2;
  readonly present: boolean;
  readonly zero: boolean;
  readonly data: boolean;
}

/** The content a node serves: its length and the SHA-256 of its bytes (read through the export). */
export interface ServedChecksum {
  readonly length: number;
  readonly sha256: string;
}

/** What the impl answers where it does not follow what a node serves (a comparison accepts any answer there):
 * a checksum `{"length", "sha256": "not-modelled"}`, a block status `{"not-modelled": why}`. */
export const NOT_MODELLED = 'not-modelled';

export function isNotModelled(v: JsonValue | undefined): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as { readonly [k: string]: JsonValue };
  return o['sha256'] === NOT_MODELLED || NOT_MODELLED in o;
}

/** Why an observation failed without the target dying: the export was refused (QEMU's text), or the read failed. */
export const READ_FAILED = 'reading the export failed';

const NAMES: ReadonlySet<string> = new Set(OBSERVATION_NAMES);

export function isObservationName(name: string): name is ObservationName {
  return NAMES.has(name);
}

/** The observation a command asks for; undefined for a QMP command (or malformed arguments: refused as QEMU would). */
export function observationOf(cmd: QmpCommand): ObservationStep | undefined {
  if (!isObservationName(cmd.execute)) return undefined;
  const args = cmd.arguments;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  const node = (args as { readonly [k: string]: JsonValue })['node-name'];
  return typeof node === 'string' ? { kind: cmd.execute, node } : undefined;
}

export function observationCommand(kind: ObservationName, node: string): QmpCommand {
  return { execute: kind, arguments: { 'node-name': node } };
}

/** Adjacent extents with the same flags are one (qemu-img map merges them the same way). */
export function mergeExtents(xs: readonly ServedExtent[]): ServedExtent[] {
  const out: ServedExtent[] = [];
  for (const x of xs) {
    if (x.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.start + last.length === x.start && last.depth === x.depth && last.zero === x.zero && last.data === x.data) {
      out[out.length - 1] = { ...last, length: last.length + x.length };
    } else out.push(x);
  }
  return out;
}

/** A served extent with its fields in qemu-img map's order. */
export function servedExtent(start: number, length: number, depth: 0 | 1 | 2, zero: boolean, data: boolean): ServedExtent {
  return { start, length, depth, present: depth > 0, zero, data };
}

/** A span of one `qemu-img map` context (base:allocation or qemu:allocation-depth). */
export interface MapSpan {
  readonly start: number;
  readonly length: number;
}

/**
 * The two contexts overlaid, cut wherever either changes: each piece made by `extent` from the status and depth spans
 * covering it (a piece one context does not cover is left out), then merged.
 */
export function overlayExtents<F extends MapSpan, D extends MapSpan>(
  status: readonly F[],
  depths: readonly D[],
  extent: (start: number, length: number, f: F, d: D) => ServedExtent,
): ServedExtent[] {
  const cuts = [...new Set([...status, ...depths].flatMap((e) => [e.start, e.start + e.length]))].sort((a, b) => a - b);
  const at = <T extends MapSpan>(xs: readonly T[], o: number): T | undefined => xs.find((e) => e.start <= o && o < e.start + e.length);
  const out: ServedExtent[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const s = cuts[i]!;
    const f = at(status, s);
    const d = at(depths, s);
    if (f && d) out.push(extent(s, cuts[i + 1]! - s, f, d));
  }
  return mergeExtents(out);
}
