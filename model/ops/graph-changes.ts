// x-blockdev-change (a quorum's children) and blockdev-snapshot (an overlay takes a node's place).
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph, notBlocked } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { attach, detach, dropOrphans, replaceNode } from '../edit.ts';
import { childEdge, childEdges, cowChild, findNode, isFilter, lookup, num, parentCount, str } from '../graph.ts';
import { COW_ROLE, DATA, DRIVER_FACTS } from '../perm-rules.ts';
import { computePerms } from '../perms.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ignored, seq } from '../result.ts';
import type { Result } from '../result.ts';

export function xBlockdevChange(d: Draft, args: JsonObject): Result {
  const p = lookup(d, str(args, 'parent'));
  if (!p.ok) return p;
  const q = p.value;
  const [child, add] = [str(args, 'child'), str(args, 'node')];
  if ((child === undefined) === (add === undefined)) {
    return fail('invalid-param', child !== undefined ? 'The parameters child and node are in conflict' : 'Either child or node must be specified');
  }
  const listed = driverFacts(q.driver).childList === true;
  if (child !== undefined) {
    const e = childEdge(d, q.name, child);
    if (!e) return fail('not-found', `Node '${q.name}' does not have child '${child}'`);
    if (!listed) return fail('unsupported', `The node ${q.name} does not support removing a child`);
    const threshold = num(q.opts, 'vote-threshold') ?? 0;
    if (childEdges(d, q.name).length <= threshold) return fail('invalid-param', `The number of children cannot be lower than the vote threshold ${threshold}`);
    // the next index steps back only when the highest one goes
    if (e.name === `children.${(q.nextChild ?? 0) - 1}`) q.nextChild = (q.nextChild ?? 0) - 1;
    detach(d, e);
    dropOrphans(d);
    return OK;
  }
  const n = findNode(d, add ?? '');
  if (!n) return fail('not-found', `Node '${add ?? ''}' not found`);
  if (!listed) return fail('unsupported', `The node ${q.name} does not support adding a child`);
  if (parentCount(d, n.name) > 0) return fail('in-use', `The node ${n.name} already has a parent`);
  if (q.opts['blkverify'] === true && q.opts['read-pattern'] !== 'fifo') return fail('unsupported', 'Cannot add a child to a quorum in blkverify mode');
  const index = q.nextChild ?? 0;
  const r = seq(() => attach(d, q.name, n.name, `children.${index}`, DATA), () => checkGraph(d, [q.name]));
  if (r.ok) q.nextChild = index + 1;
  return r;
}

/** external_snapshot_prepare/commit: the overlay gets the node as backing and its parents; the node goes read-only. */
export function blockdevSnapshot(d: Draft, args: JsonObject): Result {
  const n = lookup(d, str(args, 'node'));
  if (!n.ok) return n;
  const busy = notBlocked(d, n.value.name, 'external-snapshot');
  if (!busy.ok) return busy;
  const ov = lookup(d, str(args, 'overlay'));
  if (!ov.ok) return ov;
  const o = ov.value.name;
  // a parent that only writes (a mirror target) may keep the overlay; a reader would see the image change
  if (computePerms(d).cumulative(o).perm.includes('consistent-read')) return fail('in-use', 'The overlay is already in use');
  if (isFilter(ov.value)) return fail('invalid-param', 'Filters cannot be used as overlays');
  if (cowChild(d, o) !== undefined) return fail('invalid-param', 'The overlay already has a backing image');
  if (DRIVER_FACTS[ov.value.driver]?.supportsBacking !== true) return fail('unsupported', 'The overlay does not support backing images');
  const r = seq(() => attach(d, o, n.value.name, 'backing', COW_ROLE), () => replaceNode(d, n.value.name, o), () => checkGraph(d, [o]));
  // the old node goes read-only if it can; a failure is ignored (a copy-on-read node cannot be reopened)
  return r.ok ? ignored(setReadOnly(d, n.value.name, true)) : r;
}
