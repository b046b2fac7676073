// The reference model: plain-data state, one pure function from a state and a command to the outcomes it allows.
export { apply } from './apply.ts';
export type { Branch, Expected, Outcome } from './apply.ts';
export type { CommandFacts } from './draft.ts';
export { blockGraph, namedNodes } from './query.ts';
export type { ModelError, Unjudged } from './result.ts';
export { initialState } from './state.ts';
export type { ModelState } from './state.ts';
export { servedAnswer } from './served/answer.ts';
export type { ServedAnswer } from './served/answer.ts';
export { afterRead } from './served/written.ts';
