// The block graph's data: nodes (BlockDriverState), edges (BdrvChild) and non-node parents.
import type { JsonObject } from '../../qmp/types.ts';
import type { Driver } from '../drivers/driver.ts';
import type { DriverState } from '../drivers/driver-state.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import type { ChildRole } from './role.ts';
import type { JobType } from '../jobs/job.ts';

/** BDRV_O_UNMAP as the `discard` option sets it: `unmap` lets discards and zero writes unmap. */
export type DiscardMode = 'ignore' | 'unmap';

export interface BlockNode {
  readonly id: number;
  readonly name: string;
  readonly autoNamed: boolean;
  readonly driver: Driver;
  readOnly: boolean;
  /** Own options without child references (7.2 strips them, semantics §4): bs->options. */
  options: JsonObject;
  /** Those of `options` a keep_old_opts requeue kept from the old ones, so not in bs->explicit_options. */
  keptOptions?: readonly string[];
  /** Parents' and children's lists are newest first, as QLIST_INSERT_HEAD leaves them. */
  children: Edge[];
  parents: Edge[];
  monitorOwned: boolean;
  inheritsFrom: BlockNode | null;
  forceShare: boolean;
  /** Virtual disk size in bytes (total_sectors * 512). */
  size: number;
  /** Protocol nodes: the file they opened; format nodes: the file their header lives in. */
  filename: string | undefined;
  /** Image header's backing file name (qcow2), rewritten by stream/commit. */
  backingFile: string | undefined;
  backingFormat: string | undefined;
  /** bs->auto_backing_file: the header's name, or the filename of the backing opened from it; what the current
   * backing is compared with to tell whether the user overrode it. */
  autoBackingFile: string | undefined;
  /** file-posix OFD lock state: what this node's fd currently locks. */
  locked: { perm: PermSet; shared: PermSet };
  /** What the node's driver keeps (drivers/driver-state.ts): quorum's next child index, raw's window, ... */
  readonly state: DriverState;
  /** bs->drv == NULL: a fatal qcow2 corruption cleared the driver; the node stays, I/O on it fails. */
  driverGone: boolean;
  /** The `discard` option as bdrv_open_common and the last reopen left it (detect-zeroes=unmap needs `unmap`). */
  discard: DiscardMode;
  /** The last reopen kept the old options in insertion order, oldest first (keep_old_opts): what QDict order sees. */
  optionsOldestFirst: boolean;
  /** bdrv_op_block_all's reason, set from job-complete to the job's end (a mirror's replace blocker). */
  blockedFor: string | undefined;
  implicit: boolean;
  closed: boolean;
}

export type OpClass =
  | 'backup-source'
  | 'backup-target'
  | 'change'
  | 'commit-source'
  | 'commit-target'
  | 'dataplane'
  | 'drive-del'
  | 'eject'
  | 'external-snapshot'
  | 'internal-snapshot'
  | 'internal-snapshot-delete'
  | 'mirror-source'
  | 'mirror-target'
  | 'replace'
  | 'resize'
  | 'stream';

export type Parent =
  | { readonly kind: 'node'; readonly node: BlockNode }
  | { readonly kind: 'backend'; readonly backend: Backend }
  | { readonly kind: 'job'; readonly job: JobParent };

/** A BlockBackend: exports, job backends, block_resize's temporary one. */
export interface Backend {
  readonly id: number;
  /** '' for the anonymous ones qsd creates. */
  readonly name: string;
  /** At most one edge, named 'root'. */
  edges: Edge[];
}

/** What the graph needs to know of a block job that holds edges. */
export interface JobParent {
  readonly id: number;
  readonly jobId: string;
  readonly type: JobType;
  edges: Edge[];
}

export interface Edge {
  readonly parent: Parent;
  child: BlockNode;
  readonly name: string;
  readonly role: ChildRole;
  perm: PermSet;
  shared: PermSet;
  frozen: boolean;
}

export interface Graph {
  readonly nodes: Map<string, BlockNode>;
  readonly backends: Backend[];
  readonly jobs: JobParent[];
  nextId: number;
  nextAutoName: number;
}

export function emptyGraph(): Graph {
  return { nodes: new Map(), backends: [], jobs: [], nextId: 1, nextAutoName: 1 };
}

export function parentNode(e: Edge): BlockNode | undefined {
  return e.parent.kind === 'node' ? e.parent.node : undefined;
}

export function childEdge(n: BlockNode, name: string): Edge | undefined {
  return n.children.find((e) => e.name === name);
}

/** How QEMU names a parent in permission errors (BdrvChildClass.get_parent_desc). */
export function parentDesc(p: Parent): string {
  switch (p.kind) {
    case 'node':
      return `node '${p.node.name}'`;
    case 'backend':
      return p.backend.name === '' ? 'an unnamed block device' : `block device '${p.backend.name}'`;
    case 'job':
      return `${p.job.type} job '${p.job.jobId}'`;
  }
}
