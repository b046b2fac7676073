// blockdev-add, blockdev-del, block_resize, blockdev-snapshot and x-blockdev-change (a quorum's children).
import type { JsonObject } from '../../qmp/types.ts';
import { blocker, checkGraph, notBlocked } from '../check.ts';
import { draftPerms, type Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, attach, detach, dropOrphans, removeBackends, removeNode, replaceNode } from '../edit.ts';
import { childEdge, childEdges, cowChild, findNode, isFilter, lookup, node, num, parentCount, str } from '../graph.ts';
import { openNode } from '../open.ts';
import { COW_ROLE, DATA, DRIVER_FACTS } from '../perm-rules.ts';
import { ALL_PERMS, permSet } from '../../qmp/perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ignored, seq, type Result } from '../result.ts';

export function blockdevAdd(d: Draft, args: JsonObject): Result {
  if (str(args, 'node-name') === undefined) return fail('invalid-param', "'node-name' must be specified for the root node");
  const r = openNode(d, args);
  if (r.ok) node(d, r.value).owned = true;
  return r.ok ? OK : r;
}

/** qmp_blockdev_del: only a monitor-owned node nobody uses. */
export function blockdevDel(d: Draft, args: JsonObject): Result {
  const name = str(args, 'node-name') ?? '';
  const n = findNode(d, name);
  if (!n) return fail('not-found', `Failed to find node with node-name='${name}'`);
  if (d.bbs.some((b) => b.child === name)) return fail('in-use', `Node ${name} is in use`);
  const busy = notBlocked(d, name, 'drive-del');
  if (!busy.ok || !n.owned) return busy.ok ? fail('in-use', `Node ${name} is not owned by the monitor`) : busy;
  if (parentCount(d, name) > 0) return fail('in-use', `Block device ${name} is in use`);
  removeNode(d, name);
  dropOrphans(d);
  return OK;
}

/** bdrv_co_truncate: the driver resizes itself or hands it to a child; a read-only node refuses. */
export function truncate(d: Draft, name: string, size: number): Result {
  const n = node(d, name);
  const hook = driverFacts(n.driver).truncate;
  if (n.readOnly) return fail('read-only', 'Image is read-only');
  return hook ? hook(d, n, size, (child, sz) => truncate(d, child, sz)) : fail('unsupported', 'Image format driver does not support resize');
}

/** qmp_block_resize: a temporary BlockBackend takes resize on the node (op blockers first), then the driver truncates. */
export function blockResize(d: Draft, args: JsonObject): Result {
  const device = str(args, 'device');
  const n = lookup(d, str(args, 'node-name'), device ?? '');
  const size = num(args, 'size') ?? 0;
  if (!n.ok) return n;
  if (blocker(d, n.value.name, 'resize') !== undefined) return fail('busy', `Device '${device ?? '(null)'}' is in use`);
  const bb = addBackend(d, n.value.name, permSet('resize'), ALL_PERMS);
  const r = seq(() => checkGraph(d, [n.value.name]), () => truncate(d, n.value.name, size));
  removeBackends(d, [bb]);
  return r;
}

/** external_snapshot: the overlay takes the node as backing and its parents; the node goes read-only if it can. */
export function blockdevSnapshot(d: Draft, args: JsonObject): Result {
  const n = lookup(d, str(args, 'node'));
  if (!n.ok) return n;
  const busy = notBlocked(d, n.value.name, 'external-snapshot');
  const ov = busy.ok ? lookup(d, str(args, 'overlay')) : busy;
  if (!ov.ok) return ov;
  const o = ov.value;
  // a parent that only writes (a mirror target) may keep the overlay; a reader would see the image change
  if (draftPerms(d).cumulative(o.name).perm.includes('consistent-read')) return fail('in-use', 'The overlay is already in use');
  if (isFilter(o)) return fail('invalid-param', 'Filters cannot be used as overlays');
  if (cowChild(d, o.name) !== undefined) return fail('invalid-param', 'The overlay already has a backing image');
  if (DRIVER_FACTS[o.driver]?.supportsBacking !== true) return fail('unsupported', 'The overlay does not support backing images');
  const r = seq(() => attach(d, o.name, n.value.name, 'backing', COW_ROLE), () => replaceNode(d, n.value.name, o.name), () => checkGraph(d, [o.name]));
  return r.ok ? ignored(setReadOnly(d, n.value.name, true)) : r;
}

/** x-blockdev-change: removes a child (not below the vote threshold) or adds an unused node as the next child. */
export function xBlockdevChange(d: Draft, args: JsonObject): Result {
  const [p, child, add] = [lookup(d, str(args, 'parent')), str(args, 'child'), str(args, 'node')];
  if (!p.ok) return p;
  const q = p.value;
  const listed = driverFacts(q.driver).childList === true;
  if ((child === undefined) === (add === undefined)) return fail('invalid-param', child !== undefined ? 'The parameters child and node are in conflict' : 'Either child or node must be specified');
  if (child !== undefined) {
    const [e, threshold] = [childEdge(d, q.name, child), num(q.opts, 'vote-threshold') ?? 0];
    if (!e || !listed) return fail(e ? 'unsupported' : 'not-found', e ? `The node ${q.name} does not support removing a child` : `Node '${q.name}' does not have child '${child}'`);
    if (childEdges(d, q.name).length <= threshold) return fail('invalid-param', `The number of children cannot be lower than the vote threshold ${threshold}`);
    // the next index steps back only when the highest one goes
    if (e.name === `children.${(q.nextChild ?? 0) - 1}`) q.nextChild = (q.nextChild ?? 0) - 1;
    detach(d, e);
    dropOrphans(d);
    return OK;
  }
  const n = findNode(d, add ?? '');
  if (!n || !listed) return fail(n ? 'unsupported' : 'not-found', n ? `The node ${q.name} does not support adding a child` : `Node '${add ?? ''}' not found`);
  if (parentCount(d, n.name) > 0) return fail('in-use', `The node ${n.name} already has a parent`);
  if (q.opts['blkverify'] === true && q.opts['read-pattern'] !== 'fifo') return fail('unsupported', 'Cannot add a child to a quorum in blkverify mode');
  const index = q.nextChild ?? 0;
  const r = seq(() => attach(d, q.name, n.name, `children.${index}`, DATA), () => checkGraph(d, [q.name]));
  if (r.ok) q.nextChild = index + 1;
  return r;
}
