// copy-on-read's reads: what is allocated below its file node (down to `bottom`) but not in it is read and written
// back into it a cluster at a time (bdrv_co_do_copy_on_readv): zeroes as a zero write, anything else as data.
import { backingChainNext, filterBs } from '../core/chain.ts';
import { readAt } from '../core/served-read.ts';
import { zeros } from '../images/bytes.ts';
import { copyUp } from '../core/copy-up.ts';
import type { DriverServed } from './driver-served.ts';
import { stateOf } from './driver-state.ts';

export const corServed: DriverServed = {
  readAt(env, node, offset, length) {
    const file = filterBs(node);
    if (!file) return { kind: 'bytes', bytes: zeros(length) };
    const name = stateOf(node, 'copy-on-read').bottom;
    const bottom = name !== undefined ? env.graph.nodes.get(name) : undefined;
    // cor_co_preadv_part asks bdrv_is_allocated_above(bdrv_backing_chain_next(file), bottom)
    copyUp(env, file, backingChainNext(file), bottom, offset, offset + length);
    return readAt(env, file, offset, length);
  },
};
