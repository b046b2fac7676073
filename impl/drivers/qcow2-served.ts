// What a qcow2 node serves: its clusters (data, zero, unallocated: what the backing node reads), and writes that
// allocate clusters in its image file (copy-on-write from the backing node for partly written clusters).
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { readAt } from '../core/served-read.ts';
import { fill, UNKNOWN_BYTE, zeros, type Bytes } from '../images/bytes.ts';
import type { Qcow2Cluster } from '../images/guest-data.ts';
import type { ImageFile } from '../images/image-store.ts';
import { qcow2Read, qcow2Write } from '../images/qcow2-guest.ts';
import type { DriverServed, OwnStatus } from './driver-served.ts';
import { imageFilename } from './qcow2-clusters.ts';

function image(env: BlockEnv, node: BlockNode): (ImageFile & { readonly header: { readonly kind: 'qcow2'; readonly clusterSize: number } }) | undefined {
  const file = node.children.find((c) => c.name === 'file')?.child;
  const img = file ? env.images.read(imageFilename(file) ?? '') : undefined;
  return img && img.header.kind === 'qcow2' ? (img as ImageFile & { readonly header: { readonly kind: 'qcow2'; readonly clusterSize: number } }) : undefined;
}

const clustersOf = (img: ImageFile): ReadonlyMap<number, Qcow2Cluster> => (img.guest?.kind === 'qcow2' ? img.guest.clusters : new Map());

/** What the backing node reads (zeros past its end, or without one); an unreadable backing is not modelled. */
function below(env: BlockEnv, node: BlockNode): (from: number, length: number) => Bytes {
  return (from, length) => {
    const b = cowBs(node);
    if (!b) return zeros(length);
    const r = readAt(env, b, from, length);
    return r.kind === 'bytes' ? r.bytes : fill(length, UNKNOWN_BYTE);
  };
}

function statusAt(env: BlockEnv, node: BlockNode, offset: number, bytes: number): OwnStatus {
  const img = image(env, node);
  if (!img) return { kind: 'own', data: false, zero: false, pnum: bytes };
  const cs = img.header.clusterSize;
  const clusters = clustersOf(img);
  const kind = (o: number): string => clusters.get(Math.floor(o / cs))?.kind ?? 'none';
  const first = kind(offset);
  let end = Math.min(offset + bytes, (Math.floor(offset / cs) + 1) * cs);
  while (end < offset + bytes && kind(end) === first) end = Math.min(offset + bytes, end + cs);
  return { kind: 'own', data: first === 'data', zero: first === 'zero', pnum: end - offset };
}

export const qcow2Served: DriverServed = {
  zeroesWithUnmap: true,
  statusAt,
  readAt(env, node, offset, length) {
    const img = image(env, node);
    if (!img) return { kind: 'bytes', bytes: below(env, node)(offset, length) };
    return { kind: 'bytes', bytes: qcow2Read(clustersOf(img), img.header.clusterSize, offset, length, below(env, node)) };
  },
  writeAt(env, node, offset, w) {
    const img = image(env, node);
    if (!img || node.driverGone) return;
    const { clusters, partial } = qcow2Write(clustersOf(img), img.header.clusterSize, offset, w, below(env, node));
    env.images.write({ ...img, guest: { kind: 'qcow2', clusters }, rewritten: true, ...(partial || img.partialClusters ? { partialClusters: true as const } : {}) });
  },
};
