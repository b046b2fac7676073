// The model's state is plain data: images, nodes, edges, backends, jobs. Perms, blockers, frozen links and lengths
// are derived from it (perms.ts, check.ts, graph.ts), never stored beside it.
import type { ImageSpec } from '../qmp/image-spec.ts';
import type { JsonObject } from '../qmp/types.ts';
import type { DriverName } from './drivers/driver.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { PermSet } from './perm-set.ts';

/** What a qcow2 header names as backing file: a name and format, none, or what a job wrote (not followed). */
export type BackingName = { readonly file: string; readonly format: string } | null | 'unknown';

/** An image's bytes as far as the model follows them: a raw file, a qcow2 header, or whatever a copy left there. */
export type Content = { readonly kind: 'raw' } | { readonly kind: 'qcow2'; virtualSize: number; backing: BackingName } | { readonly kind: 'unknown' };

export interface Image {
  /** The file's length; undefined once a job wrote into it (allocations, copies past the end). */
  length: number | undefined;
  content: Content;
}

export interface MNode {
  readonly name: string;
  readonly driver: DriverName;
  readOnly: boolean;
  readonly forceShare: boolean;
  /** Own options as last given (bs->options), child references stripped. */
  opts: JsonObject;
  /** Those of `opts` an internal reopen kept from the old ones: not explicit, so a later internal reopen lets the
   * parent's value win, but a user reopen must still restate them. */
  kept?: readonly string[];
  /** Created by blockdev-add (the monitor holds a reference). */
  owned: boolean;
  /** The parent that opened it from a nested dict (it inherits that parent's reopens). */
  inheritsFrom: string | null;
  /** A job's filter opened without filter-node-name. */
  implicit: boolean;
  /** The length computed at open and at a truncate through it (total_sectors); undefined: not followed. */
  size: number | undefined;
  /** qcow2: the image its metadata lives in; undefined once its `file` changed (metadata not followed). */
  image?: string;
  /** qcow2: its header named a backing file at open or at its last rewrite (bs->backing_file). */
  namesBacking?: boolean;
  /** qcow2: its backing is the one its header named (its file name is then a plain one). */
  headerBacking?: boolean;
  /** quorum: index of the next `children.N`. */
  nextChild?: number;
  /** mirror_top: the target is in the source's chain (active commit), or the job is dropping the filter. */
  mirror?: { readonly commit: boolean; stopping: boolean };
}

/** A node's child edge; its perms are derived by perms.ts. */
export interface NodeEdge {
  readonly parent: string;
  readonly name: string;
  child: string;
  readonly role: RoleSpec;
}

/** An anonymous BlockBackend (export, job backend, block_resize's): perms fixed by its owner. */
export interface Backend {
  readonly id: number;
  child: string;
  perm: PermSet;
  readonly shared: PermSet;
}

/** A block job's edge: perms fixed by the job; never moved by a replacement. */
export interface JobEdge {
  readonly job: string;
  readonly name: string;
  readonly child: string;
  readonly perm: PermSet;
  readonly shared: PermSet;
}

export interface Export {
  readonly id: string;
  readonly name: string;
  readonly bb: number;
}

/** Job statuses; a job rests in all but `created` once a command is done (jobs run to the next one at once). */
export type JobStatus = 'created' | 'ready' | 'standby' | 'pending' | 'concluded';

export type JobDetail =
  | { readonly kind: 'commit'; readonly top: string; readonly base: string; readonly baseWasRO: boolean; readonly backingFile: string | undefined; frozen: boolean }
  | { readonly kind: 'mirror'; readonly target: string; readonly replaces: string | undefined; readonly grow: boolean; readonly copies: boolean; shouldComplete: boolean }
  | { readonly kind: 'stream'; readonly device: string; readonly aboveBase: string; readonly deviceWasRO: boolean; readonly backingFile: string | undefined };

export interface Job {
  readonly id: string;
  readonly type: 'commit' | 'stream' | 'mirror';
  status: JobStatus;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** job-pause: a ready job waits in standby, and so does a completion asked for meanwhile. */
  paused: boolean;
  completionPending: boolean;
  failed: boolean;
  /** The job's filter node: commit_top, mirror_top or copy-on-read. */
  filter: string;
  /** Its BlockBackends, first the one on the base or target. */
  bbs: number[];
  readonly detail: JobDetail;
}

export interface ModelState {
  images: Record<string, Image>;
  nodes: MNode[];
  edges: NodeEdge[];
  /** Newest first, as x-debug-query-block-graph lists them. */
  bbs: Backend[];
  jobEdges: JobEdge[];
  /** Oldest first. */
  jobs: Job[];
  exports: Export[];
  groups: string[];
  nbd: boolean;
  nextId: number;
  nextAuto: number;
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** qemu-img create: sizes rounded to sectors; a fresh qcow2 file is 3 clusters plus its L1 table. */
function imageOf(i: ImageSpec): Image {
  const size = roundUp(i.size, 512);
  if (i.format === 'raw') return { length: size, content: { kind: 'raw' } };
  const cluster = i.cluster_size ?? 65536;
  const backing = i.backing === undefined ? null : { file: i.backing, format: i.backing_fmt ?? 'qcow2' };
  return { length: 3 * cluster + Math.ceil(size / (cluster * (cluster / 8))) * 8, content: { kind: 'qcow2', virtualSize: size, backing } };
}

export function initialState(images: readonly ImageSpec[]): ModelState {
  return {
    images: Object.fromEntries(images.map((i) => [i.filename, imageOf(i)])),
    ...{ nodes: [], edges: [], bbs: [], jobEdges: [], jobs: [], exports: [], groups: [] },
    ...{ nbd: false, nextId: 1, nextAuto: 1 },
  };
}
