// Test support for the model's unit tests: commands run one after another, each from the state of the first outcome
// the model allows, and what it allowed as short text.
import type { ImageSpec } from '../qmp/image-spec.ts';
import type { JsonValue, QmpCommand } from '../qmp/types.ts';
import { apply } from './apply.ts';
import type { Expected } from './apply.ts';
import { permsOf } from './perms.ts';
import { initialState } from './state.ts';
import type { ModelState } from './state.ts';

export const add = (args: JsonValue): QmpCommand => ({ execute: 'blockdev-add', arguments: args });
export const cmd = (execute: string, args: JsonValue = {}): QmpCommand => ({ execute, arguments: args });
export const qcow2 = (filename: string, more: Partial<ImageSpec> = {}): ImageSpec => ({ filename, format: 'qcow2', size: 1048576, ...more });
export const raw = (filename: string, size = 1048576): ImageSpec => ({ filename, format: 'raw', size });

/** `ok`, an error code, `a | b` for several allowed outcomes, or `not judged: why`. */
export const allowed = (e: Expected): string =>
  e.kind === 'not-judged' ? `not judged: ${e.why}` : [...new Set(e.branches.map((b) => (b.outcome.ok ? 'ok' : b.outcome.error.code)))].join(' | ');

/** Runs `commands` from `images`, following the first outcome allowed; the state and each step's allowed outcomes. */
export function run(images: readonly ImageSpec[], commands: readonly QmpCommand[]): { state: ModelState; seen: string[] } {
  let state = initialState(images);
  const seen: string[] = [];
  for (const c of commands) {
    const e = apply(state, c);
    seen.push(allowed(e));
    if (e.kind === 'judged' && e.branches[0]) state = e.branches[0].state;
  }
  return { state, seen };
}

const LETTER = { 'consistent-read': 'R', write: 'W', 'write-unchanged': 'U', resize: 'S' } as const;
/** A node edge's perms as `RW/RU` (`-` for none). */
export function perms(s: ModelState, parent: string, edge: string): string {
  const e = s.edges.find((x) => x.parent === parent && x.name === edge);
  const p = e === undefined ? undefined : permsOf(s).edge(e);
  const show = (ps: readonly (keyof typeof LETTER)[]): string => ps.map((x) => LETTER[x]).join('') || '-';
  return p === undefined ? 'no edge' : `${show(p.perm)}/${show(p.shared)}`;
}
