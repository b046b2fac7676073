// A universe: the finite set of choices `bgcheck explore` enumerates — images, name pools, command templates whose
// placeholders refer to the state the command runs in (universe-format.md says how a file spells them).
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { JsonValue } from '../../qmp/types.ts';

export const UNIVERSE_FORMAT = 1;

/** Which named nodes `$node:…` offers: a driver's, or one of these shapes (several filters must all hold). */
export const NODE_SHAPES = ['root', 'free', 'has-chain', 'filter', 'format'] as const;
export type NodeShape = (typeof NODE_SHAPES)[number];
export type NodeFilter = { readonly kind: 'driver'; readonly driver: string } | { readonly kind: 'shape'; readonly shape: NodeShape };

/** Job statuses a `$job:…` may ask for (job.c's). */
export const JOB_STATES = ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending', 'aborting', 'concluded'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A placeholder: a string template starting with `$`, standing for every value of its kind in the current state. */
export type Ref =
  /** The next unused name of the node pool: the n-th `$fresh` of a command is the n-th unused one. */
  | { readonly kind: 'fresh' }
  | { readonly kind: 'node'; readonly filters: readonly NodeFilter[] }
  /** Named nodes below the node a sibling member chose: along its backing chain, or its whole subgraph. */
  | { readonly kind: 'below'; readonly key: string; readonly along: 'chain' | 'subgraph' }
  /** Named nodes other than the one a sibling member chose. */
  | { readonly kind: 'other'; readonly key: string }
  /** Child edge names of the node a sibling member chose. */
  | { readonly kind: 'child'; readonly key: string }
  | { readonly kind: 'image'; readonly format: 'qcow2' | 'raw' | undefined }
  | { readonly kind: 'job'; readonly status: JobState | undefined }
  | { readonly kind: 'fresh-job' }
  | { readonly kind: 'export' }
  | { readonly kind: 'fresh-export' }
  /** This member is left out. */
  | { readonly kind: 'absent' };

export type Template =
  | { readonly t: 'literal'; readonly value: JsonValue }
  | { readonly t: 'object'; readonly members: readonly { readonly key: string; readonly value: Template }[] }
  | { readonly t: 'list'; readonly items: readonly Template[] }
  | { readonly t: 'ref'; readonly ref: Ref }
  /** Each alternative in turn. */
  | { readonly t: 'one-of'; readonly choices: readonly Template[] }
  /** The length of the node a sibling member chose, times a factor, rounded to a sector, plus some bytes. */
  | { readonly t: 'size-of'; readonly key: string; readonly times: number; readonly plus: number }
  /** A node's options restated as blockdev-reopen needs them, then `set` applied (a `$absent` member deletes). */
  | { readonly t: 'restate'; readonly node: Template; readonly set: Extract<Template, { t: 'object' }> };

/** Conditions on the state a template applies in, for what no placeholder can say (exports need a server). */
export const WHEN_CONDITIONS = ['nbd-server-running', 'nbd-server-stopped'] as const;
export type WhenCondition = (typeof WHEN_CONDITIONS)[number];

export interface CommandTemplate {
  /** Statistics name, e.g. `blockdev-add:qcow2`. */
  readonly kind: string;
  /** Every condition must hold for the template to offer anything. */
  readonly when: readonly WhenCondition[];
  readonly execute: string;
  readonly arguments: Template;
}

export interface Universe {
  readonly format: typeof UNIVERSE_FORMAT;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly images: readonly ImageSpec[];
  /** Node names, in the order `$fresh` hands them out. */
  readonly nodeNames: readonly string[];
  readonly jobIds: readonly string[];
  readonly exportIds: readonly string[];
  readonly commands: readonly CommandTemplate[];
  /**
   * Whether states may be merged up to a renaming of node names: true when no template spells a pool name itself,
   * so every command treats the pool's names alike (the parser works it out).
   */
  readonly symmetric: boolean;
}
