// The reference model: plain-data state, one pure function per command, perms computed from scratch.
export { apply } from './apply.ts';
export type { Branch, Expected, Outcome } from './apply.ts';
export { blockGraph, namedNodes } from './query.ts';
export type { CommandFacts } from './draft.ts';
export type { ModelError, Unjudged } from './result.ts';
export { initialState } from './state.ts';
export type { ModelState } from './state.ts';
