// A command's private copy of the state, kept only if it succeeds, and what it learns on the way about other outcomes.
import { permsOf, type Perms } from './perms.ts';
import type { ModelError } from './result.ts';
import type { ModelState } from './state.ts';

/** What a command did, even if it then failed: edges moved, nodes reopened, nodes a job start made writable before it
 * could still fail (commit's base, stream's device). A comparison explains 7.2 defects by them. */
export interface CommandFacts {
  readonly moved: { readonly parent: string; readonly edge: string; readonly from: string; readonly to: string }[];
  readonly reopened: string[];
  readonly madeWritable: string[];
}

export interface Draft extends ModelState, CommandFacts {
  /** The state the command started from: image locks held then, and what a refusal leaves. */
  readonly before: ModelState;
  /** Refusals QEMU may give instead, leaving `before`: checks whose order or OS state the model does not follow. */
  readonly mayFail: ModelError[];
  /** Jobs whose success image data decides (apply runs the command again with each failing), and those failing. */
  readonly dataDependent: string[];
  readonly failing: ReadonlySet<string>;
}

type Carried = Omit<Draft, keyof ModelState>;

/** A draft's state fields, by name (a literal, not a rest copy: every command settles one). */
function stateOf(d: ModelState): ModelState {
  const { drivers, images, nodes, edges, bbs, jobs, jobEdges, exports, groups, nbd, nextId, nextAuto } = d;
  const state: ModelState = { drivers, images, nodes, edges, bbs, jobs, jobEdges, exports, groups, nbd, nextId, nextAuto };
  if (d.perms !== undefined) state.perms = d.perms;
  return state;
}

/** Each image and its content copied (a loop: every command's draft copies them). */
function copyImages(images: ModelState['images']): ModelState['images'] {
  const out: ModelState['images'] = {};
  for (const k in images) {
    const i = images[k];
    if (i !== undefined) out[k] = { ...i, content: { ...i.content } };
  }
  return out;
}

/** A copy of what commands change in place (options, roles and kept lists are only ever replaced), with `carried`:
 * one literal of fixed shape (spreads into a literal of this size made slow dictionary objects, every command). */
function copy(s: ModelState, c: Carried): Draft {
  const d: Draft = {
    drivers: s.drivers,
    images: copyImages(s.images),
    nodes: s.nodes.map((n) => (n.mirror ? { ...n, mirror: { ...n.mirror } } : { ...n })),
    edges: s.edges.map((e) => ({ ...e })),
    bbs: s.bbs.map((b) => ({ ...b })),
    jobs: s.jobs.map((j) => ({ ...j, bbs: [...j.bbs], detail: { ...j.detail } })),
    jobEdges: [...s.jobEdges],
    exports: [...s.exports],
    groups: [...s.groups],
    nbd: s.nbd,
    nextId: s.nextId,
    nextAuto: s.nextAuto,
    before: c.before,
    mayFail: c.mayFail,
    dataDependent: c.dataDependent,
    failing: c.failing,
    moved: c.moved,
    reopened: c.reopened,
    madeWritable: c.madeWritable,
  };
  // the same inputs (permInputs compares by identity what the copy shares): valid until the draft changes them
  if (s.perms !== undefined) d.perms = s.perms;
  return d;
}

export const draft = (s: ModelState, failing: ReadonlySet<string> = new Set()): Draft =>
  copy(s, { before: s, mayFail: [], dataDependent: [], failing, moved: [], reopened: [], madeWritable: [] });

/** The committed state, carrying its perms (the draft's while still valid): a comparison graphs every one anyway. */
export function settled(d: Draft): ModelState {
  const state = stateOf(d);
  permsOf(state, true);
  return state;
}

/** The draft's perms now, computed again only when its graph changed since. */
export const draftPerms = (d: Draft): Perms => permsOf(d, true);

/** A nested change that may fail on its own: a copy sharing what the command learns, adopted only on success. */
export const nested = (d: Draft): Draft => copy(stateOf(d), d);

/** Makes `d` what `t` (nested in it) became. Nested changes never touch jobs, whose records callers hold. */
export const adopt = (d: Draft, t: Draft): void => void Object.assign(d, stateOf(t), { jobs: d.jobs });
