// The reference model: plain-data state, one pure function per command, perms computed from scratch.
export { apply } from './apply.ts';
export type { Step } from './apply.ts';
export { initialState } from './state.ts';
export type { ImageInput, ModelState } from './state.ts';
export { blockGraph, namedNodes, queryJobs } from './query.ts';
export type { ModelError, Result } from './result.ts';
export type { Qemu72Defect } from './context.ts';
