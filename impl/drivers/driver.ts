// A driver is a frozen record of facts and optional hooks; the core supplies named defaults.
import type { JsonObject } from '../../qmp/types.ts';
import type { DriverName } from '../../qmp/driver-name.ts';
import type { BlockNode, Edge, Graph } from '../core/graph.ts';
import type { PermPair, PermSet } from '../../qmp/perm-set.ts';
import type { Result } from '../core/result.ts';
import type { ChildRole } from '../core/role.ts';
import type { QapiMember } from '../qapi/schema.ts';
import type { OpenContext } from '../core/open-context.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { Transaction } from '../core/transaction.ts';
import type { StateOf } from './driver-state.ts';
import type { DriverData } from './driver-data.ts';
import type { DriverFilename } from './driver-filename.ts';
import type { DriverServed } from './driver-served.ts';

export type { DriverName };

export interface ChildPermContext {
  /** The parent node whose driver decides. */
  readonly node: BlockNode;
  readonly childName: string;
  readonly role: ChildRole;
  /** The parent's cumulative perm / shared perm. */
  readonly perm: PermSet;
  readonly shared: PermSet;
  /** Whether the parent will be writable once a pending reopen (if any) commits. */
  readonly writable: boolean;
}

export interface ReopenSupport {
  /** Options that may change or be dropped on reopen without "cannot be reset" errors. */
  readonly mutableOptions: readonly string[];
  /** Driver-level checks on the new options (bdrv_reopen_prepare). */
  readonly prepare?: (env: BlockEnv, node: BlockNode, newOptions: JsonObject) => Result<void>;
  /** The node's own bdrv_reopen_prepare failed after the driver's prepare: 7.2 calls the driver's abort
   * before the transaction puts back a `file` child it changed. */
  readonly abortInPrepare?: (env: BlockEnv, node: BlockNode, fileChanged: boolean) => void;
  /** Applies driver state once the whole reopen is accepted. */
  readonly commit?: (env: BlockEnv, tx: Transaction, node: BlockNode, newOptions: JsonObject) => void;
}

/** What reads, block status, writes (driver-data.ts) and bdrv_refresh_filename (driver-filename.ts) do are hooks too. */
export interface Driver<N extends DriverName = DriverName> extends DriverData, DriverFilename, DriverServed {
  readonly name: N;
  readonly isFilter: boolean;
  readonly isFormat: boolean;
  readonly supportsBacking: boolean;
  /** Protocol drivers with a `filename` (file-posix) lock image files. */
  readonly isProtocol: boolean;
  /** drv->bdrv_file_open: its opens are protocol opens (BDRV_O_PROTOCOL), named "Block protocol" in errors; absent: a
   * format ("Block format"). */
  readonly fileOpen?: true;
  /** QAPI members of this driver's BlockdevOptions variant, in schema order. */
  readonly schema: readonly QapiMember[];
  /** A new node's driver state (driver-state.ts), before open fills it in. */
  readonly newState: () => StateOf<N>;
  /** Opens the node's children and sets its size (bdrv_open hooks). */
  readonly open: (ctx: OpenContext, args: JsonObject) => Result<void>;
  readonly childPerm?: (ctx: ChildPermContext) => PermPair;
  /** Absent: `Block format '<drv>' used by node '<n>' does not support reopening files`. */
  readonly reopen?: ReopenSupport;
  /** Absent: the filtered child's truncate is used for filters, else "does not support resize". */
  readonly truncate?: (env: BlockEnv, node: BlockNode, size: number) => Result<void>;
  /** Driver-level check/apply of the node's cumulative perms (file locking). */
  readonly setPerm?: (g: Graph, node: BlockNode, perm: PermSet, shared: PermSet) => Result<() => void>;
  /** Releases driver resources when the node closes (throttle group membership). */
  readonly onClose?: (env: BlockEnv, tx: Transaction, node: BlockNode) => void;
  /** x-blockdev-change hooks (quorum). */
  readonly addChild?: (env: BlockEnv, tx: Transaction, node: BlockNode, child: BlockNode) => Result<void>;
  readonly delChild?: (env: BlockEnv, tx: Transaction, node: BlockNode, edge: Edge) => Result<void>;
  /** drv->bdrv_getlength from the children (filters, raw windows, quorum): read at open and truncate (core/length.ts). */
  readonly length?: (node: BlockNode) => number;
  /** has_variable_length (raw, copy-on-read): `length` is asked on every query, not only at open and truncate. */
  readonly variableLength?: boolean;
  /** bdrv_recurse_can_replace; absent means "only the node itself". */
  readonly recurseCanReplace?: (node: BlockNode, toReplace: BlockNode) => boolean;
  /** request_alignment (blkdebug's `align`); absent: 1, any size will do. */
  readonly requestAlignment?: (node: BlockNode) => number;
  /** drv->bdrv_change_backing_file: rewrites the image header's backing file name (0 or a negative errno); absent:
   * -ENOTSUP. */
  readonly changeBackingFile?: (env: BlockEnv, node: BlockNode, file: string | undefined, format: string | undefined) => number;
  /** bdrv_get_info's cluster_size; absent: the driver has none. */
  readonly clusterSize?: (node: BlockNode) => number;
  /** bdrv_has_zero_init: a freshly created image of this format reads zeros; absent: it may hold anything. */
  readonly hasZeroInit?: true;
}
