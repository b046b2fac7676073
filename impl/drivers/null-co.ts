// null-co: a protocol node with no storage; size from options, cannot be resized.
import { OK } from '../core/result.ts';
import { bool, int, opt, uint64 } from '../qapi/schema.ts';
import { intArg } from './common.ts';
import type { Driver } from './driver.ts';

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
    ctx.node.size = intArg(args, 'size') ?? NULL_CO_DEFAULT_SIZE;
    return OK;
  },
  reopen: { mutableOptions: [] },
});
