// A driver is a frozen record of facts and optional hooks (QEMU's BlockDriver); each hook says what its absence means.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { Draft } from '../draft.ts';
import type { NodeFacts, RoleSpec } from '../perm-rules.ts';
import type { Result } from '../result.ts';
import type { MNode, ModelState } from '../state.ts';

export type DriverName = 'file' | 'null-co' | 'raw' | 'qcow2' | 'throttle' | 'copy-on-read' | 'blkdebug' | 'blkverify' | 'quorum' | 'mirror_top' | 'commit_top';

/** What .bdrv_open gets: the draft, the new node, its arguments, and bdrv_open_child (attach and check at once). */
export interface OpenContext {
  readonly d: Draft;
  readonly node: MNode;
  readonly args: JsonObject;
  /** Images whose header-named backing files this open is in the middle of opening, outermost first. */
  readonly opening: readonly string[];
  /** Opens `args[key]` (or `value`) as child `edge` (default `key`), nothing if absent; `opening` for a header's. */
  child(key: string, role: RoleSpec, edge?: string, value?: JsonValue, opening?: readonly string[]): Result;
}

/** Where a read at offset 0 goes (a qcow2 reading its header through its `file`). */
export type ReadAtZero = { readonly kind: 'image' } | { readonly kind: 'other-bytes' } | { readonly kind: 'child'; readonly edge: string };

/** Every driver the model knows, by name (drivers/index.ts). */
export type Drivers = Readonly<Record<DriverName, Driver>>;

export interface Driver {
  readonly name: DriverName;
  /** A protocol takes no `file`; a format node's `file` is opened before it takes its name. */
  readonly protocol?: true;
  /** A format keeps written guest data in its own clusters: a write through it never reaches its file's first bytes. */
  readonly format?: true;
  /** .bdrv_open: its checks and children in QEMU's order. Absent: blockdev-add cannot create it (a job's filter). */
  readonly open?: (c: OpenContext) => Result;
  /** Option checks a reopen repeats with the new options. Absent: none. */
  readonly recheck?: (d: Draft, n: MNode, opts: JsonObject) => Result;
  /** The options a reopen may change or leave out. Absent: it cannot be reopened. */
  readonly reopenMutable?: readonly string[];
  /** bdrv_getlength (undefined: not followed); `variableLength`: asked each time, else kept from open or a truncate. */
  readonly length: (s: ModelState, n: MNode) => number | undefined;
  readonly variableLength?: true;
  /** bdrv_co_truncate; `below` truncates a child. Absent: 'Image format driver does not support resize'. */
  readonly truncate?: (d: Draft, n: MNode, size: number, below: (child: string, size: number) => Result) => Result;
  /** What its perm rule reads of it (perm-rules.ts). Absent: nothing. */
  readonly ruleFacts?: (n: MNode) => NodeFacts;
  /** Where a read at offset 0 goes. Absent: not followed (guest data, a quorum's vote). */
  readonly readAtZero?: (n: MNode) => ReadAtZero;
  /** bdrv_recurse_can_replace. Absent: a filter asks its filtered child, anything else replaces only itself. */
  readonly canReplace?: (s: ModelState, n: MNode, replaced: string) => boolean;
  /** The image file it opens itself, and whether it locks it (file-posix). Absent: none. */
  readonly imageFile?: (n: MNode) => { readonly filename: string; readonly locked: boolean };
  /** Writers without resize need a length aligned to this. Absent: no constraint. */
  readonly writeAlign?: (n: MNode) => number;
  /** Its reads are a vote among children's data: a job reading through it may fail (EIO) on what they hold. */
  readonly votes?: true;
  /** A read through it writes into the node below, whose bytes the model then does not state. Absent: reads write nothing. */
  readonly copiesOnRead?: true;
  /** x-blockdev-change may add and remove its `children.N`. */
  readonly childList?: true;
  /** It keeps a throttle group object in use while it names it. */
  readonly usesGroup?: (n: MNode, group: string) => boolean;
}
