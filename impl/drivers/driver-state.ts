// What each driver keeps in a node beyond the generic BlockNode fields (its BDRV*State), one type a driver, keyed by
// the driver's name. A driver's hooks read their own state through stateOf.
import type { DriverName } from '../../qmp/driver-name.ts';
import type { BlockNode } from '../core/graph.ts';

type Stateless<N extends DriverName> = { readonly driver: N };

export type RawState = {
  readonly driver: 'raw';
  /** Where the window starts in `file` (0 without one). */
  offset: number;
  /** The window's fixed size; undefined: up to the end of `file`. */
  size: number | undefined;
};

export type Qcow2State = {
  readonly driver: 'qcow2';
  /** From the header (s->cluster_size). */
  clusterSize: number;
};

export type ThrottleState = { readonly driver: 'throttle'; group: string };

/** `bottom`: the node whose chain the filter keeps frozen (undefined once a stream job dropped it). */
export type CopyOnReadState = { readonly driver: 'copy-on-read'; bottom: string | undefined };

/** `align`: the request alignment the `align` option set (1: none). */
export type BlkdebugState = { readonly driver: 'blkdebug'; align: number };

export type QuorumState = {
  readonly driver: 'quorum';
  threshold: number;
  rewriteCorrupted: boolean;
  blkverify: boolean;
  /** quirk quorum-is-filter: the quorum claims to be a filter when a mirror asks what it may replace. */
  claimsFilter: boolean;
  /** s->next_child_index: the N of the next `children.N` x-blockdev-change adds. */
  nextChildIndex: number;
};

/** The job tells mirror_top its mode: stopping (forward nothing), active commit, or the pre-6.0 loose perms (quirk). */
export type MirrorTopState = { readonly driver: 'mirror_top'; stop: boolean; isCommit: boolean; loosePerms: boolean };

/** Each driver's state, by its name. */
type StatesByDriver = {
  file: Stateless<'file'>;
  'null-co': Stateless<'null-co'>;
  raw: RawState;
  qcow2: Qcow2State;
  throttle: ThrottleState;
  'copy-on-read': CopyOnReadState;
  blkdebug: BlkdebugState;
  blkverify: Stateless<'blkverify'>;
  quorum: QuorumState;
  mirror_top: MirrorTopState;
  commit_top: Stateless<'commit_top'>;
};

export type StateOf<N extends DriverName> = StatesByDriver[N];
export type DriverState = StateOf<DriverName>;

/** The node's state as driver `driver` keeps it; a node of another driver here is a bug in the impl. */
export function stateOf<N extends DriverName>(node: BlockNode, driver: N): StateOf<N> {
  if (node.state.driver !== driver) throw new Error(`node '${node.name}' holds ${node.state.driver} state, not ${driver}`);
  return node.state as StateOf<N>;
}
