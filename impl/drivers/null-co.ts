// null-co: a protocol node with no storage; size from options, cannot be resized.
import { OK } from '../core/result.ts';
import { bool, int, opt, uint64 } from '../qapi/schema.ts';
import { intArg, roundUpToSector } from './common.ts';
import type { Driver } from './driver.ts';
import { ZEROS } from '../core/content.ts';
import { DEATHS } from '../core/deaths.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { data } from '../core/read-content.ts';
import type { BlockNode } from '../core/graph.ts';
import { ownOptions } from '../core/node-filename.ts';
import { nullCoServed } from './small-served.ts';

const readsZeroes = (n: BlockNode): boolean => n.options['read-zeroes'] === true;

/** null-co's default size: 1 GiB. */
export const NULL_CO_DEFAULT_SIZE = 1 << 30;

export const nullCo = Object.freeze<Driver<'null-co'>>({
  name: 'null-co',
  isFilter: false,
  isFormat: false,
  supportsBacking: false,
  isProtocol: true,
  fileOpen: true,
  newState: () => ({ driver: 'null-co' }),
  schema: [opt('size', int), opt('latency-ns', uint64), opt('read-zeroes', bool)],
  open(ctx, args) {
    const size = intArg(args, 'size');
    // null_file_open absorbs its options with &error_abort: a negative size kills QEMU 7.2
    if (size !== undefined && size < 0) {
      dieNow(DEATHS.negativeNullCoSize);
    }
    // null_getlength's byte count becomes whole sectors (refresh_total_sectors)
    ctx.node.size = roundUpToSector(size ?? NULL_CO_DEFAULT_SIZE);
    return OK;
  },
  reopen: { mutableOptions: [] },
  read: () => data(ZEROS),
  ...nullCoServed,
  bytesAt: (_env, _node, _offset, bytes) => new Uint8Array(bytes),
  bytesEnd: () => 0,
  // without read-zeroes there is nothing to read, so nothing is allocated and block status says neither
  allocated: readsZeroes,
  blockStatus: (_env, node) => (readsZeroes(node) ? 'zero' : 'none'),
  // null_co_preadv leaves the buffer as it was without read-zeroes
  readsUninitialised: (node) => !readsZeroes(node),
  // null_refresh_filename: "null-co://" when nothing but latency was given
  exactFilename: (node) => (ownOptions(node).every((k) => k === 'latency-ns') ? 'null-co://' : undefined),
});
