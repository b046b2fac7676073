// What reads return, as far as a quorum vote or blkverify can tell: nothing ever writes guest data, so a node reads
// zeros, the bytes of the image file below it (a qcow2 header read as raw), or what its child or backing file reads.
import { qcow2HeaderBytes } from '../images/qcow2-header-bytes.ts';
import type { Qcow2Header } from '../images/image-store.ts';
import type { BlockEnv } from './block-env.ts';
import { backingChainNext, cowBs, filterBs, filterOrCowBs, passThroughChild } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';
import { blockStatus, blockStatusEnd } from './block-status.ts';

/** Equal keys read equal bytes; '' is all zeros, 'qcow2:{...}' a fresh qcow2 image's own bytes. */
export type ContentKey = string;

/** A read of `request` bytes at offset 0: data, EIO (a quorum vote without a winner), or blkverify's exit(1). */
export type ReadResult =
  | { readonly kind: 'data'; readonly key: ContentKey }
  | { readonly kind: 'eio' }
  | { readonly kind: 'exit'; readonly stderr: string };

const data = (key: ContentKey): ReadResult => ({ kind: 'data', key });

export function readContent(env: BlockEnv, node: BlockNode, request: number): ReadResult {
  const child = (name: string): BlockNode | undefined => node.children.find((c) => c.name === name)?.child;
  const read = (c: BlockNode | undefined): ReadResult => (c ? readContent(env, c, request) : data(''));
  switch (node.driver.name) {
    case 'file': {
      const img = env.images.read(node.filename ?? '');
      if (!img || img.header.kind === 'raw') return data('');
      return data(img.header.kind === 'qcow2' ? `qcow2:${JSON.stringify(img.header)}` : `broken:${JSON.stringify(img.header)}`);
    }
    case 'null-co':
      return data('');
    case 'raw': {
      const inner = read(child('file'));
      const offset = Number(node.state['offset'] ?? 0);
      return inner.kind !== 'data' || inner.key === '' || offset === 0 ? inner : data(`${inner.key}@${offset}`);
    }
    case 'qcow2':
      return read(child('backing'));
    case 'quorum':
      return quorumRead(env, node, request);
    case 'blkverify':
      return blkverifyRead(node, read(child('test')), read(child('raw')), request);
    case 'copy-on-read': {
      const file = filterBs(node);
      // cor_co_preadv_part asks bdrv_is_allocated_above(bdrv_backing_chain_next(file), bottom): NULL below a bare file segfaults
      const noChainBelow = file !== undefined && !allocated(file) && backingChainNext(file) === undefined;
      return node.state['bottom'] !== undefined && noChainBelow ? { kind: 'exit', stderr: '' } : read(file);
    }
    default:
      return read(filterBs(node));
  }
}

/** quorum_co_preadv: fifo reads the first child; otherwise the most common version must reach the threshold. */
function quorumRead(env: BlockEnv, node: BlockNode, request: number): ReadResult {
  // s->children is in index order; node.children lists the newest edge first
  const index = (name: string): number => Number(name.slice('children.'.length));
  const kids = node.children.filter((c) => c.name.startsWith('children.')).sort((a, b) => index(a.name) - index(b.name)).map((c) => c.child);
  if (node.options['read-pattern'] === 'fifo') return kids[0] ? readContent(env, kids[0], request) : data('');
  // quorum_count_vote puts each new version at the head of the list, and the first with the most votes wins a tie
  const versions: { readonly key: ContentKey; votes: number }[] = [];
  for (const k of kids) {
    const r = readContent(env, k, request);
    if (r.kind === 'exit') return r;
    if (r.kind !== 'data') continue;
    const v = versions.find((x) => x.key === r.key);
    if (v) v.votes++;
    else versions.unshift({ key: r.key, votes: 1 });
  }
  let winner: ContentKey = '';
  let best = 0;
  for (const v of versions) {
    if (v.votes > best) [winner, best] = [v.key, v.votes];
  }
  return best >= Number(node.state['threshold'] ?? 1) ? data(winner) : { kind: 'eio' };
}

/** blkverify_co_preadv: returns what `test` read, and exits at the first byte `raw` read differently. */
function blkverifyRead(node: BlockNode, test: ReadResult, raw: ReadResult, request: number): ReadResult {
  if (test.kind === 'exit') return test;
  if (raw.kind === 'exit') return raw;
  if (test.kind !== 'data' || raw.kind !== 'data') return { kind: 'eio' };
  const bytes = Math.min(request, nodeLength(node));
  const at = firstDifference(test.key, raw.key);
  if (at === undefined || at >= bytes) return test;
  return { kind: 'exit', stderr: `blkverify: read offset=0 bytes=${bytes} contents mismatch at offset ${at}\n` };
}

/** The first byte at which two contents differ (undefined: equal); a header read as raw starts with its magic. */
function firstDifference(a: ContentKey, b: ContentKey): number | undefined {
  if (a === b) return undefined;
  // "qcow2:{header}" is a header read from its start, "…@N" the same bytes read by a raw node at offset N
  const bytes = (k: ContentKey): Uint8Array | undefined => {
    if (k === '') return new Uint8Array(0);
    const m = /^qcow2:(\{.*\})(?:@(\d+))?$/.exec(k);
    return m?.[1] === undefined ? undefined : qcow2HeaderBytes(JSON.parse(m[1]) as Qcow2Header).slice(Number(m[2] ?? 0));
  };
  const x = bytes(a);
  const y = bytes(b);
  if (!x || !y) return 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return i;
  return undefined;
}

/** bdrv_co_block_status for a node without data of its own: files and quorum hold data, null-co only with read-zeroes. */
export function allocated(node: BlockNode): boolean {
  switch (node.driver.name) {
    case 'file':
    case 'quorum':
      return true;
    case 'null-co':
      return node.options['read-zeroes'] === true;
    case 'qcow2':
      return false;
    default: {
      // raw and filters answer for the child they pass reads to
      const c = passThroughChild(node);
      return c ? allocated(c) : false;
    }
  }
}

/**
 * The mirror's first pass over a dirty chunk (mirror_iteration): bdrv_block_status_above(source, NULL) says DATA
 * (read and copy), ZERO (write zeroes) or neither (discard, a no-op without discard=unmap): what the target gets.
 */
export function mirrorPass(
  env: BlockEnv,
  from: BlockNode,
  last: BlockNode | undefined,
  request: number,
  everything: boolean,
): { read: ReadResult; writes: 'data' | 'zero' | 'none'; zeroTail: boolean; dataTail: boolean; shortLayerEnd: number | undefined } {
  let dirty = everything;
  for (let n: BlockNode | undefined = from; n && !dirty; n = n === last ? undefined : filterOrCowBs(n)) dirty = allocated(n);
  const status = dirty ? blockStatus(env, from, 'first') : 'none';
  const tail = dirty ? blockStatus(env, from, 'tail') : 'none';
  // past the end of a shorter layer down to `last` the zeros it synthesizes count as allocated there (dirty, ZERO)
  let shortLayerEnd: number | undefined;
  for (let n = from === last ? undefined : filterOrCowBs(from); n; n = n === last ? undefined : filterOrCowBs(n)) {
    if (nodeLength(n) < Math.min(nodeLength(from), shortLayerEnd ?? Infinity)) shortLayerEnd = nodeLength(n);
  }
  return { read: status === 'data' ? readContent(env, from, request) : data(''), writes: status, zeroTail: tail === 'zero', dataTail: tail === 'data', shortLayerEnd };
}

/**
 * The bytes a read of [offset, offset + bytes) returns, past a qcow2 header's cluster: undefined when not modelled.
 * A fresh qcow2 file holds its refcount table (one entry: the block two clusters in) and block (1 for each
 * metadata cluster) there, and a zero L1 table; past a node's end reads are zeros (bdrv_aligned_preadv).
 */
function bytesAt(env: BlockEnv, node: BlockNode, offset: number, bytes: number): Uint8Array | ReadResult | undefined {
  const zeros = (): Uint8Array => new Uint8Array(bytes);
  if (offset >= nodeLength(node)) return zeros();
  switch (node.driver.name) {
    case 'file': {
      const img = env.images.read(node.filename ?? '');
      if (!img || img.header.kind === 'raw') return zeros();
      if (img.header.kind !== 'qcow2' || (img.l2Tables ?? []).length > 0) return undefined;
      const cs = img.header.clusterSize;
      if (offset < cs) return undefined;
      const file = new Uint8Array(Math.max(img.length, offset + bytes));
      const v = new DataView(file.buffer);
      const l1Clusters = Math.max(1, Math.ceil((Math.ceil(img.header.virtualSize / (cs * (cs / 8))) * 8) / cs));
      if (img.length >= cs + 8) v.setBigUint64(cs, BigInt(2 * cs));
      for (let i = 0; i < 3 + l1Clusters; i++) if (img.length >= 2 * cs + 2 * i + 2) v.setUint16(2 * cs + 2 * i, 1);
      return file.slice(offset, offset + bytes);
    }
    case 'null-co':
      return zeros();
    case 'qcow2': {
      const b = cowBs(node);
      return b ? bytesAt(env, b, offset, bytes) : zeros();
    }
    case 'raw': {
      const c = node.children.find((e) => e.name === 'file')?.child;
      return c && Number(node.state['offset'] ?? 0) === 0 ? bytesAt(env, c, offset, bytes) : undefined;
    }
    case 'blkverify': {
      const raw = node.children.find((c) => c.name === 'raw')?.child;
      const test = node.children.find((c) => c.name === 'test')?.child;
      const r = raw ? bytesAt(env, raw, offset, bytes) : undefined;
      const t = test ? bytesAt(env, test, offset, bytes) : undefined;
      if (r !== undefined && !(r instanceof Uint8Array)) return r;
      if (t !== undefined && !(t instanceof Uint8Array)) return t;
      if (!r || !t) return undefined;
      const at = r.findIndex((x, i) => x !== t[i]);
      if (at < 0) return t;
      return { kind: 'exit', stderr: `blkverify: read offset=${offset} bytes=${bytes} contents mismatch at offset ${offset + at}\n` };
    }
    default: {
      const f = filterBs(node);
      return f && node.driver.name !== 'quorum' ? bytesAt(env, f, offset, bytes) : undefined;
    }
  }
}

/**
 * mirror_iteration past blockStatusEnd: block status answers 0 bytes, so each granularity chunk is copied (read
 * through `src`). The first read that makes a blkverify exit, in offset order; QEMU issues these reads together,
 * so when several chunks mismatch, which one it reports depends on which read completes first.
 */
export function copiedTailExit(env: BlockEnv, src: BlockNode, granularity: number): string | undefined {
  const len = nodeLength(src);
  const from = Math.max(granularity, Math.floor(blockStatusEnd(src) / granularity) * granularity);
  for (let off = from; off < len; off += granularity) {
    const r = bytesAt(env, src, off, Math.min(granularity, len - off));
    if (r !== undefined && !(r instanceof Uint8Array) && r.kind === 'exit') return r.stderr;
  }
  return undefined;
}

/** null-co without read-zeroes leaves the read buffer as it was: a blkverify over one compares heap garbage. */
export function blkverifyReadsGarbage(env: BlockEnv): boolean {
  const garbage = (n: BlockNode): boolean => (n.driver.name === 'null-co' && n.options['read-zeroes'] !== true) || n.children.some((c) => garbage(c.child));
  return [...env.graph.nodes.values()].some((n) => n.driver.name === 'blkverify' && garbage(n));
}
