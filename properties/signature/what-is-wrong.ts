// The words signatures use for edges and perms: drivers and child names instead of node names, perms in QEMU's letters
// (w write, r consistent-read, u write-unchanged, s resize, as scripts/render_block_graph.py writes them).
import type { Perm, PermSet } from '../../qmp/perm-set.ts';
import type { GraphSnapshot, SnapEdge, SnapParent } from '../snapshot.ts';

const LETTER: Readonly<Record<Perm, string>> = { 'consistent-read': 'r', write: 'w', 'write-unchanged': 'u', resize: 's' };

export function permLetters(p: PermSet): string {
  return p.length === 0 ? '_' : p.map((x) => LETTER[x]).join('');
}

/** `+ws-r`: what `have` holds beyond `want`, then what it lacks; empty when equal. */
export function permDelta(have: PermSet, want: PermSet): string {
  const extra = have.filter((p) => !want.includes(p));
  const missing = want.filter((p) => !have.includes(p));
  return `${extra.length > 0 ? `+${permLetters(extra)}` : ''}${missing.length > 0 ? `-${permLetters(missing)}` : ''}`;
}

/** A node parent by its driver, a job by its type, a BlockBackend as `backend`. */
export function parentTag(g: GraphSnapshot, p: SnapParent): string {
  switch (p.kind) {
    case 'node':
      return g.nodes.find((n) => n.id === p.id)?.driver ?? 'node';
    case 'job':
      return `job:${g.jobs.find((j) => j.id === p.name)?.type ?? '?'}`;
    case 'backend':
      return 'backend';
  }
}

/** `blkverify.test`, `quorum.children.N`, `job:mirror.target`: the edge as its parent's driver and the child's name. */
export function edgeTag(g: GraphSnapshot, e: SnapEdge): string {
  return `${parentTag(g, e.parent)}.${e.name.replace(/\d+/g, 'N')}`;
}
