// The model's state is plain data; perms, blockers, frozen links and most lengths are derived from it, not stored.
import type { ImageSpec } from '../qmp/image-spec.ts';
import type { JsonObject } from '../qmp/types.ts';
import type { DriverName, Drivers } from './drivers/driver.ts';
import { DRIVERS } from './drivers/index.ts';
import { sectors } from './graph.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { PermSet } from '../qmp/perm-set.ts';
import type { PermsMemo } from './perms.ts';
import { layoutsOf, type Layout } from './served/layout.ts';

/** A qcow2 header's backing file: a name and format, none, or a name the model does not follow. */
export type BackingName = { readonly file: string; readonly format: string } | null | 'unknown';
/** An image's bytes as far as the model follows them. */
export type Content = { readonly kind: 'raw' } | { readonly kind: 'qcow2'; virtualSize: number; backing: BackingName } | { readonly kind: 'unknown' };
/** `length`: undefined once a job or a qcow2 resize changed it; `layout`: its writes at creation (served/) until a
 * job or copy-on-read wrote guest data into it. */
export type Image = { length: number | undefined; content: Content; layout?: Layout | undefined };

export interface MNode {
  readonly name: string;
  readonly driver: DriverName;
  readOnly: boolean;
  readonly forceShare: boolean;
  /** bs->options without child references; `kept`: those an internal reopen kept, not explicit (a user reopen restates them). */
  opts: JsonObject;
  kept?: readonly string[];
  /** Created by blockdev-add; `inheritsFrom`: the parent that opened it from a nested dict. */
  owned: boolean;
  inheritsFrom: string | null;
  /** A job's filter opened without filter-node-name. */
  implicit: boolean;
  /** The length computed at open and at a truncate through it (total_sectors); undefined: not followed. */
  size: number | undefined;
  /** qcow2: the image its metadata lives in (undefined once not followed); its header names a backing file. */
  image?: string;
  namesBacking?: boolean;
  /** discard=unmap (BDRV_O_UNMAP): a nested child's default; a reopen that leaves `discard` out keeps it. */
  unmap?: boolean;
  /** quorum: index of the next `children.N`. */
  nextChild?: number;
  /** mirror_top: the target is in the source's chain (active commit), or the job is dropping it. */
  mirror?: { readonly commit: boolean; stopping: boolean };
}

/** A node's child edge; its perms are derived by perms.ts. */
export type NodeEdge = { readonly parent: string; readonly name: string; child: string; readonly role: RoleSpec };
/** An anonymous BlockBackend (export, job, block_resize) or a job's edge: perms fixed by the owner. */
export type Backend = { readonly id: number; child: string; readonly perm: PermSet; readonly shared: PermSet };
export type JobEdge = { readonly job: string; readonly name: string; readonly child: string; readonly perm: PermSet; readonly shared: PermSet };
export type Export = { readonly id: string; readonly name: string; readonly bb: number };

/** job.c's statuses; a job rests in all but `created` once a command is done (jobs run on at once). */
export type JobStatus = 'created' | 'ready' | 'standby' | 'pending' | 'concluded';

export type JobDetail =
  | { readonly kind: 'commit'; readonly top: string; readonly base: string }
  | { readonly kind: 'mirror'; readonly target: string; readonly replaces?: string; readonly grow: boolean; readonly copies: boolean; shouldComplete: boolean }
  | { readonly kind: 'stream'; readonly device: string; readonly aboveBase: string };

export interface Job {
  readonly id: string;
  readonly type: 'commit' | 'stream' | 'mirror';
  status: JobStatus;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** job-pause: a ready job waits in standby, and so does a completion asked for meanwhile. */
  paused: boolean;
  completionPending: boolean;
  /** Its filter (commit_top, mirror_top, copy-on-read) and BlockBackends, the one on base or target first. */
  filter: string;
  bbs: number[];
  /** The chain from its filter down to this node is frozen (commit, active commit) until the job lets go. */
  freezesTo?: string | undefined;
  /** A node it reopened read-write, reopened read-only again when it ends. */
  restoreRO?: string;
  readonly detail: JobDetail;
}

export interface ModelState {
  /** The driver records, the same for every state: carried so graph questions reach them without an import cycle. */
  readonly drivers: Drivers;
  images: Record<string, Image>;
  nodes: MNode[];
  edges: NodeEdge[];
  /** Newest first, as x-debug-query-block-graph lists them; jobs oldest first. */
  bbs: Backend[];
  jobEdges: JobEdge[];
  jobs: Job[];
  exports: Export[];
  groups: string[];
  nbd: boolean;
  nextId: number;
  nextAuto: number;
  /** Its perms once asked (perms.ts permsOf): derived, carried so that they are computed once. */
  perms?: PermsMemo;
}

/** qemu-img create: sizes in whole sectors; a fresh qcow2 file is 3 clusters plus its L1 table. */
function imageOf(i: ImageSpec): Image {
  if (i.format === 'raw') return { length: sectors(i.size), content: { kind: 'raw' } };
  const cluster = i.cluster_size ?? 65536;
  const backing = i.backing === undefined ? null : { file: i.backing, format: i.backing_fmt ?? 'qcow2' };
  // writes at creation allocate L2 tables and clusters (zero writes too): the file's length is then not followed
  const length = (i.writes ?? []).length > 0 ? undefined : 3 * cluster + Math.ceil(i.size / (cluster * (cluster / 8))) * 8;
  return { length, content: { kind: 'qcow2', virtualSize: sectors(i.size), backing } };
}

export function initialState(images: readonly ImageSpec[]): ModelState {
  const none = { nodes: [], edges: [], bbs: [], jobEdges: [], jobs: [], exports: [], groups: [] };
  const layouts = layoutsOf(images);
  return { drivers: DRIVERS, images: Object.fromEntries(images.map((i) => [i.filename, { ...imageOf(i), layout: layouts[i.filename] }])), ...none, nbd: false, nextId: 1, nextAuto: 1 };
}
