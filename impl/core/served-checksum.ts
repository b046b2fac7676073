// What `qemu-img convert` reads of an export for the checksum: extent by extent as block status gives them, zero
// extents not read at all, data extents in reads of at most its 2 MiB buffer (a blkverify names the failing read).
import type { ServedRead } from '../drivers/driver-served.ts';
import { concat, zeros, type Bytes } from '../images/bytes.ts';
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { clientExtents, isZeroExtent } from './served-nbd.ts';
import { readAt } from './served-read.ts';

const IO_BUF_SIZE = 2 * 1024 * 1024;

export function convertRead(env: BlockEnv, node: BlockNode): ServedRead {
  const parts: Bytes[] = [];
  for (const e of clientExtents(env, node, 'base:allocation')) {
    if (isZeroExtent(e.flags)) {
      parts.push(zeros(e.length));
      continue;
    }
    for (let at = e.start; at < e.start + e.length; at += IO_BUF_SIZE) {
      const r = readAt(env, node, at, Math.min(IO_BUF_SIZE, e.start + e.length - at));
      if (r.kind !== 'bytes') return r;
      parts.push(r.bytes);
    }
  }
  return { kind: 'bytes', bytes: concat(...parts) };
}
