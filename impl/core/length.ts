// bdrv_getlength: raw and copy-on-read (has_variable_length) ask their driver every time; every other node keeps
// the length it stored at open or at its last truncate (bs->total_sectors), however its children change since.
import type { BlockNode } from './graph.ts';
import { roundUpToSector } from '../drivers/common.ts';

/** BDRV_MAX_LENGTH: INT64_MAX aligned down to 1 GiB; no node may be longer (bdrv_refresh_total_sectors, -EFBIG). */
export const BDRV_MAX_LENGTH = 2 ** 63 - 2 ** 30;

/** bdrv_getlength is total_sectors * 512: a driver's unaligned length is rounded up (refresh_total_sectors). */
export function nodeLength(n: BlockNode): number {
  return n.driver.variableLength === true && n.driver.length ? roundUpToSector(n.driver.length(n)) : n.size;
}

/** refresh_total_sectors: the driver's own getlength if it has one, else the hint (the size just truncated to). */
export function refreshLength(n: BlockNode, hint: number): void {
  n.size = n.driver.length ? roundUpToSector(n.driver.length(n)) : hint;
}

/** The getlength of filters that pass it on: their filtered child's length. */
export function filteredLength(n: BlockNode): number {
  const f = n.children.find((e) => e.role.kind === 'filtered');
  return f ? nodeLength(f.child) : 0;
}
