// blkverify: a filter over `raw` that compares every read with its `test` (DATA) child.
import { canReplaceBelow } from '../core/can-replace.ts';
import { firstDifference } from '../core/content.ts';
import { blkverifyMismatch } from '../core/deaths.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { OK } from '../core/result.ts';
import { nodeLength } from '../core/length.ts';
import { nodeFilename } from '../core/node-filename.ts';
import { bytesAt, bytesEndBelow, data, readContent } from '../core/read-content.ts';
import type { ReadResult } from '../core/read-content.ts';
import { ZEROS } from '../core/content.ts';
import { DATA, FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, req } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import type { BlockNode } from '../core/graph.ts';
import { blkverifyServed } from './small-served.ts';

const childOf = (node: BlockNode, name: 'raw' | 'test'): BlockNode | undefined => node.children.find((c) => c.name === name)?.child;

/** blkverify_getlength: the test child's length, although `raw` is the filtered child. */
function blkverifyLength(node: BlockNode): number {
  const test = childOf(node, 'test');
  return test ? nodeLength(test) : 0;
}

/** blkverify_co_preadv: returns what `test` read, and exits at the first byte `raw` read differently. */
function blkverifyRead(env: BlockEnv, node: BlockNode, request: number): ReadResult {
  const read = (c: BlockNode | undefined): ReadResult => (c ? readContent(env, c, request) : data(ZEROS));
  const test = read(childOf(node, 'test'));
  const raw = read(childOf(node, 'raw'));
  if (test.kind === 'exit') return test;
  if (raw.kind === 'exit') return raw;
  if (test.kind !== 'data' || raw.kind !== 'data') return { kind: 'eio' };
  const bytes = Math.min(request, nodeLength(node));
  const at = firstDifference(test.content, raw.content);
  if (at === undefined || at >= bytes) return test;
  return { kind: 'exit', death: blkverifyMismatch(0, bytes, at) };
}

/** Where `raw` first differs from `test` (-1: nowhere); a memcmp first, as a mirror compares a GiB in 64 KiB chunks. */
function firstByteDifference(raw: Uint8Array, test: Uint8Array): number {
  if (Buffer.compare(raw, test) === 0) return -1;
  for (let i = 0; i < raw.length; i++) if (raw[i] !== test[i]) return i;
  return -1;
}

/** blkverify_refresh_filename: "blkverify:RAW:TEST" when both children have plain file names. */
function blkverifyFilename(n: BlockNode): string | undefined {
  const names = [childOf(n, 'raw'), childOf(n, 'test')].map((c) => (c ? nodeFilename(c) : 'json:'));
  return names.some((f) => f.startsWith('json:')) ? undefined : `blkverify:${names[0] ?? ''}:${names[1] ?? ''}`;
}

export const blkverify = Object.freeze<Driver<'blkverify'>>({
  name: 'blkverify',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  fileOpen: true,
  schema: [req('test', blockdevRef), req('raw', blockdevRef)],
  newState: () => ({ driver: 'blkverify' }),
  open(ctx) {
    const rawEdge = ctx.openChild('raw', FILTERED_PRIMARY);
    if (!rawEdge.ok) return rawEdge;
    const testEdge = ctx.openChild('test', DATA);
    if (!testEdge.ok) return testEdge;
    ctx.node.size = blkverifyLength(ctx.node);
    return OK;
  },
  length: blkverifyLength,
  recurseCanReplace(node, toReplace) {
    return node.children.some((c) => (c.name === 'raw' || c.name === 'test') && canReplaceBelow(c.child, toReplace));
  },
  read: blkverifyRead,
  ...blkverifyServed,
  bytesAt(env, node, offset, bytes) {
    const raw = childOf(node, 'raw');
    const test = childOf(node, 'test');
    const r = raw ? bytesAt(env, raw, offset, bytes) : undefined;
    const t = test ? bytesAt(env, test, offset, bytes) : undefined;
    if (r !== undefined && !(r instanceof Uint8Array)) return r;
    if (t !== undefined && !(t instanceof Uint8Array)) return t;
    if (!r || !t) return undefined;
    const at = firstByteDifference(r, t);
    return at < 0 ? t : { kind: 'exit', death: blkverifyMismatch(offset, bytes, offset + at) };
  },
  bytesEnd: (env, node) => Math.max(bytesEndBelow(env, childOf(node, 'raw')), bytesEndBelow(env, childOf(node, 'test'))),
  exactFilename: blkverifyFilename,
  zeroWriteAborts: true,
  writesEveryChild: true,
});

/** A blkverify over a node whose reads leave the buffer as it was (null-co without read-zeroes) compares heap garbage. */
export function blkverifyReadsGarbage(env: BlockEnv): boolean {
  // A graph with a loop (reachable under the mirror-allows-loops quirk) must not recurse without end.
  const seen = new Set<BlockNode>();
  const garbage = (n: BlockNode): boolean => {
    if (seen.has(n)) return false;
    seen.add(n);
    return n.driver.readsUninitialised?.(n) === true || n.children.some((c) => garbage(c.child));
  };
  // one set for every blkverify: a node walked once without finding garbage has none below it
  return [...env.graph.nodes.values()].some((n) => n.driver === blkverify && garbage(n));
}
