// The model's state is plain data: nodes, edges, backends, jobs. Perms, blockers, frozen links, sizes and child
// options are derived from it (perms.ts, check.ts, graph.ts), never stored beside it.
import type { ImageSpec } from '../qmp/image-spec.ts';
import type { JsonObject } from '../qmp/types.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { PermSet } from './perm-set.ts';

/** An image file: its protocol length and, for qcow2, the header (virtual size, backing file name). */
export interface Image {
  readonly format: 'qcow2' | 'raw';
  length: number;
  virtualSize: number;
  backingFile?: string;
  backingFormat?: string;
}

export interface MNode {
  readonly name: string;
  readonly auto: boolean;
  readonly driver: string;
  readOnly: boolean;
  readonly forceShare: boolean;
  /** Own options as last given by blockdev-add or a reopen, child references stripped (bs->options). */
  opts: JsonObject;
  /** Those of `opts` a keep_old_opts requeue kept from the old ones: not in bs->explicit_options, so a later
   * keep_old_opts reopen does not count them as given, but a user reopen must still restate them. */
  kept?: readonly string[];
  owned: boolean;
  inheritsFrom: string | null;
  /** A job's filter opened without filter-node-name. */
  implicit: boolean;
  /** qcow2: the image whose header it read at open. */
  image?: string;
  /** qcow2: the backing file name that header gave, or the one the node last wrote into it (bs->backing_file);
   * another node rewriting the same image's header does not change it. */
  backingFile?: string;
  /** qcow2: bs->auto_backing_file, the header's name or the filename of the backing opened from it: a backing
   * that differs is the user's override, and the node's filename becomes json:{...}. */
  autoBacking?: string;
  /** quorum: index of the next `children.N` (next_child_index). */
  nextChild?: number;
  /** The length computed at open and at a truncate through the node (total_sectors); raw and copy-on-read
   * (variable length) compute theirs anew on every question. */
  size?: number;
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

/** An anonymous BlockBackend (export, job backend, block_resize's temporary one): perms fixed by its owner. */
export interface Backend {
  readonly id: number;
  child: string;
  readonly perm: PermSet;
  readonly shared: PermSet;
}

/** A block job's edge (main node, source, target, ...): perms fixed by the job; never moved by a replacement. */
export interface JobEdge {
  readonly job: string;
  readonly name: string;
  readonly child: string;
  readonly perm: PermSet;
  readonly shared: PermSet;
}

export interface Export {
  readonly id: string;
  /** The NBD export name: the node name at export time. */
  readonly name: string;
  readonly bb: number;
}

/** `paused`: started under a drain, it has not run yet. */
export type JobStatus = 'paused' | 'ready' | 'standby' | 'pending' | 'concluded';

interface JobCommon {
  readonly id: string;
  readonly type: 'commit' | 'stream' | 'mirror';
  status: JobStatus;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** job-pause: a ready job waits in standby, and so does a completion asked for meanwhile. */
  paused: boolean;
  completionPending: boolean;
  error?: string;
  /** The job's filter node: commit_top, mirror_top or copy-on-read. */
  filter: string;
  /** Its BlockBackends, first the one on the base or target. */
  bbs: number[];
}

export type JobDetail =
  | { readonly kind: 'commit'; readonly top: string; readonly base: string; readonly baseWasRO: boolean; readonly backingFile: string | undefined; frozen: boolean }
  | { readonly kind: 'mirror'; readonly target: string; readonly replaces: string | undefined; readonly growTarget: boolean; shouldComplete: boolean; readonly copy: MirrorCopy }
  | { readonly kind: 'stream'; readonly device: string; readonly aboveBase: string; readonly deviceWasRO: boolean; readonly backingFile: string | undefined };

export type Job = JobCommon & JobDetail;

/** What a mirror's first pass copies: nothing (sync=none), what is allocated down to `base`, or everything. */
export interface MirrorCopy {
  readonly mode: 'none' | 'allocated' | 'all';
  readonly base: string | undefined;
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

/** What a scenario says about an image. */
export type ImageInput = ImageSpec;

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** qemu-img create: sizes rounded to sectors; a fresh qcow2 file is 3 clusters plus its L1 table. */
function imageOf(i: ImageInput): Image {
  const size = roundUp(i.size, 512);
  if (i.format === 'raw') return { format: 'raw', length: size, virtualSize: size };
  const cluster = i.cluster_size ?? 65536;
  const l1Bytes = Math.ceil(size / (cluster * (cluster / 8))) * 8;
  const backing = i.backing === undefined ? {} : { backingFile: i.backing, backingFormat: i.backing_fmt ?? 'qcow2' };
  return { format: 'qcow2', length: 3 * cluster + l1Bytes, virtualSize: size, ...backing };
}

export function initialState(images: readonly ImageInput[]): ModelState {
  return {
    images: Object.fromEntries(images.map((i) => [i.filename, imageOf(i)])),
    nodes: [],
    edges: [],
    bbs: [],
    jobEdges: [],
    jobs: [],
    exports: [],
    groups: [],
    nbd: false,
    nextId: 1,
    nextAuto: 1,
  };
}
