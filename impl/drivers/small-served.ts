// What raw, null-co, quorum and blkverify nodes serve at any offset (driver-served.ts): raw hands requests to its
// file at its offset, null-co has nothing, quorum votes, blkverify compares.
import type { BlockEnv } from '../core/block-env.ts';
import { blkverifyMismatch } from '../core/deaths.ts';
import type { BlockNode } from '../core/graph.ts';
import { readAt, writeAt } from '../core/served-read.ts';
import { statusAbove } from '../core/served-status.ts';
import { concat, fill, sameBytes, UNKNOWN_BYTE, zeros, type Bytes } from '../images/bytes.ts';
import type { DriverServed, OwnStatus, ServedRead } from './driver-served.ts';
import { stateOf } from './driver-state.ts';
import { quorumChildren } from './quorum-read.ts';

const fileOf = (node: BlockNode): BlockNode | undefined => node.children.find((c) => c.name === 'file')?.child;
const DATA_ALL = (bytes: number): OwnStatus => ({ kind: 'own', data: true, zero: false, pnum: bytes });

/** raw: BDRV_BLOCK_RAW; reads and writes go to `file`, `offset` further in. */
export const rawServed: DriverServed = {
  statusAt(_env, node, offset, bytes) {
    const file = fileOf(node);
    return file ? { kind: 'raw', child: file, offset: offset + stateOf(node, 'raw').offset } : DATA_ALL(bytes);
  },
  readAt(env, node, offset, length) {
    const file = fileOf(node);
    return file ? readAt(env, file, offset + stateOf(node, 'raw').offset, length) : { kind: 'bytes', bytes: zeros(length) };
  },
  writeAt(env, node, offset, w) {
    const file = fileOf(node);
    if (file) writeAt(env, file, offset + stateOf(node, 'raw').offset, w);
  },
};

/** null-co: ZERO with read-zeroes, else neither; without read-zeroes a read leaves the buffer as it was. */
export const nullCoServed: DriverServed = {
  statusAt: (_env, node, _offset, bytes) => ({ kind: 'own', data: false, zero: node.options['read-zeroes'] === true, pnum: bytes }),
  readAt: (_env, node, _offset, length) => ({ kind: 'bytes', bytes: node.options['read-zeroes'] === true ? zeros(length) : fill(length, UNKNOWN_BYTE) }),
  writeAt: () => undefined,
};

/** quorum_co_block_status: ZERO (shortest) when every child says zero, else DATA (longest). */
function quorumStatus(env: BlockEnv, node: BlockNode, offset: number, bytes: number, wantZero: boolean): OwnStatus {
  let pnumZero = bytes;
  let pnumData = 0;
  for (const c of quorumChildren(node)) {
    const s = statusAbove(env, c.child, wantZero, offset, bytes);
    if (s.zero) pnumZero = Math.min(pnumZero, s.pnum);
    else pnumData = Math.max(pnumData, s.pnum);
  }
  return pnumData > 0 ? { kind: 'own', data: true, zero: false, pnum: pnumData } : { kind: 'own', data: false, zero: true, pnum: pnumZero };
}

/** quorum_co_preadv: the version most children read wins if it reaches the threshold (fifo: the first child). */
function quorumRead(env: BlockEnv, node: BlockNode, offset: number, length: number): ServedRead {
  const kids = quorumChildren(node).map((c) => c.child);
  if (node.options['read-pattern'] === 'fifo') return kids[0] ? readAt(env, kids[0], offset, length) : { kind: 'bytes', bytes: zeros(length) };
  const versions: { readonly bytes: Bytes; votes: number }[] = [];
  for (const k of kids) {
    const r = readAt(env, k, offset, length);
    if (r.kind === 'exit') return r;
    if (r.kind !== 'bytes') continue;
    const v = versions.find((x) => sameBytes(x.bytes, r.bytes));
    if (v) v.votes++;
    else versions.unshift({ bytes: r.bytes, votes: 1 });
  }
  // votes are counted per request: children that differ somewhere make the outcome depend on the reads' sizes
  if (versions.length > 1) return { kind: 'bytes', bytes: fill(length, UNKNOWN_BYTE) };
  const best = versions[0];
  return best && best.votes >= stateOf(node, 'quorum').threshold ? { kind: 'bytes', bytes: best.bytes } : { kind: 'eio' };
}

export const quorumServed: DriverServed = {
  statusAt: quorumStatus,
  readAt: quorumRead,
  writeAt(env, node, offset, w) {
    for (const c of quorumChildren(node)) writeAt(env, c.child, offset, w);
  },
};

/** blkverify: block status from its `raw` child (bdrv_co_block_status_from_file, the generic filter answer); reads
 * compare `raw` and `test` and exit at the first difference. */
export const blkverifyServed: DriverServed = {
  readAt(env, node, offset, length) {
    const read = (name: 'raw' | 'test'): ServedRead => {
      const c = node.children.find((e) => e.name === name)?.child;
      return c ? readAt(env, c, offset, length) : { kind: 'bytes', bytes: zeros(length) };
    };
    const test = read('test');
    const raw = read('raw');
    if (test.kind !== 'bytes') return test;
    if (raw.kind !== 'bytes') return raw;
    const at = firstDifference(concat(test.bytes), concat(raw.bytes));
    return at === undefined ? test : { kind: 'exit', death: blkverifyMismatch(offset, length, offset + at) };
  },
  writeAt(env, node, offset, w) {
    for (const c of node.children) writeAt(env, c.child, offset, w);
  },
};

/** The first byte where two reads differ; unmodelled bytes never count as a difference (QEMU decides those). */
function firstDifference(a: Bytes, b: Bytes): number | undefined {
  const cuts = new Set<number>();
  let x = 0;
  for (const r of a) cuts.add((x += r.length));
  let y = 0;
  for (const r of b) cuts.add((y += r.length));
  const byteAt = (bs: Bytes, o: number): number => {
    let at = 0;
    for (const r of bs) if (o < (at += r.length)) return r.byte;
    return 0;
  };
  let prev = 0;
  for (const c of [...cuts].sort((p, q) => p - q)) {
    const p = byteAt(a, prev);
    const q = byteAt(b, prev);
    if (p !== q && p !== UNKNOWN_BYTE && q !== UNKNOWN_BYTE) return prev;
    prev = c;
  }
  return undefined;
}
