// null-co: a protocol node with no storage; size from options, cannot be resized.
import { OK } from '../core/result.ts';
import { bool, int, opt, uint64 } from '../qapi/schema.ts';
import { intArg, roundUpToSector } from './common.ts';
import type { Driver } from './driver.ts';
import { QemuAbortError } from '../core/qemu-abort-error.ts';

/** null-co's default size: 1 GiB. */
export const NULL_CO_DEFAULT_SIZE = 1 << 30;

export const nullCo = Object.freeze<Driver>({
  name: 'null-co',
  isFilter: false,
  isFormat: false,
  supportsBacking: false,
  isProtocol: true,
  schema: [opt('size', int), opt('latency-ns', uint64), opt('read-zeroes', bool)],
  open(ctx, args) {
    const size = intArg(args, 'size');
    // null_file_open absorbs its options with &error_abort: a negative size kills QEMU 7.2
    if (size !== undefined && size < 0) {
      throw new QemuAbortError("Unexpected error in parse_option_size() at ../../util/qemu-option.c:145:\nParameter 'size' expects a non-negative number below 2^64\n");
    }
    // null_getlength's byte count becomes whole sectors (refresh_total_sectors)
    ctx.node.size = roundUpToSector(size ?? NULL_CO_DEFAULT_SIZE);
    return OK;
  },
  reopen: { mutableOptions: [] },
});
