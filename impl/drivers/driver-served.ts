// Driver hooks for what a node serves at any offset: its own block status (bdrv_co_block_status's driver part), the
// guest bytes it reads, and where writes land. Each absent hook has the generic block layer's answer, named where the
// core asks (core/served-status.ts, core/served-read.ts).
import type { BlockEnv } from '../core/block-env.ts';
import type { Death } from '../core/deaths.ts';
import type { BlockNode } from '../core/graph.ts';
import type { Bytes } from '../images/bytes.ts';
import type { GuestWrite } from '../images/qcow2-guest.ts';

/** The driver's answer for [offset, offset + bytes): BDRV_BLOCK_RAW (ask `child` at `offset`), or its own flags. */
export type OwnStatus =
  | { readonly kind: 'raw'; readonly child: BlockNode; readonly offset: number }
  | { readonly kind: 'own'; readonly data: boolean; readonly zero: boolean; readonly pnum: number };

/** What a read returns: bytes, an I/O error, or QEMU dies (blkverify's mismatch exit). */
export type ServedRead = { readonly kind: 'bytes'; readonly bytes: Bytes } | { readonly kind: 'eio' } | { readonly kind: 'exit'; readonly death: Death };

export interface DriverServed {
  /** drv->bdrv_co_block_status. Absent: a filter answers BDRV_BLOCK_RAW for its filtered child; any other node has
   * no block status of its own (DATA, allocated). */
  readonly statusAt?: (env: BlockEnv, node: BlockNode, offset: number, bytes: number, wantZero: boolean) => OwnStatus;
  /** Absent: a filter reads its filtered child; any other node reads zeros. */
  readonly readAt?: (env: BlockEnv, node: BlockNode, offset: number, length: number) => ServedRead;
  /** Absent: a filter writes its filtered child; any other node drops the write. */
  readonly writeAt?: (env: BlockEnv, node: BlockNode, offset: number, write: GuestWrite) => void;
  /** bdrv_can_write_zeroes_with_unmap: zeroes cost nothing (qcow2 v3 zero clusters, a file's holes). Absent: what
   * the node requests go to says (raw, filters); false at the bottom. */
  readonly zeroesWithUnmap?: true;
}
