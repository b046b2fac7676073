// Semantics §2.5.3 / I9: a failed command leaves queries and internal state exactly as before, even when it fails late.
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import type { BlockNode, Edge, Parent } from '../core/graph.ts';
import { MemoryImageStore } from '../images/memory.ts';
import type { ImageSpec } from '../images/image-store.ts';
import { BLOCK_COMMAND_NAMES } from '../../qmp/command-name.ts';

const MiB = 1024 * 1024;
const IMAGES: readonly ImageSpec[] = [
  { filename: 'base.qcow2', format: 'qcow2', size: MiB },
  { filename: 'top.qcow2', format: 'qcow2', size: MiB, backing: 'base.qcow2' },
  { filename: 'other.qcow2', format: 'qcow2', size: MiB },
  { filename: 'solo.qcow2', format: 'qcow2', size: MiB },
  { filename: 'd.raw', format: 'raw', size: 2 * MiB },
];
const NBD_ADDR: JsonObject = { type: 'unix', data: { path: 'nbd.sock' } };

type Step = readonly [string, JsonObject];

/**
 * The shared setup: a qcow2 chain under a throttle filter exported writable, a quorum of null-co nodes
 * exported read-only, a raw window, a read-only null-co node and two throttle groups.
 */
const SETUP: readonly Step[] = [
  ['nbd-server-start', { addr: NBD_ADDR }],
  ['object-add', { 'qom-type': 'throttle-group', id: 'tg0' }],
  ['object-add', { 'qom-type': 'throttle-group', id: 'tg1' }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'base', 'read-only': true, file: { driver: 'file', 'node-name': 'base-file', filename: 'base.qcow2' } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'top', backing: 'base', file: { driver: 'file', 'node-name': 'top-file', filename: 'top.qcow2' } }],
  ['blockdev-add', { driver: 'throttle', 'node-name': 'thr', file: 'top', 'throttle-group': 'tg0' }],
  ['block-export-add', { type: 'nbd', id: 'e-thr', 'node-name': 'thr', writable: true }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n0' }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n1' }],
  ['blockdev-add', { driver: 'quorum', 'node-name': 'q', children: ['n0', 'n1'], 'vote-threshold': 2 }],
  ['block-export-add', { type: 'nbd', id: 'e-q', 'node-name': 'q', writable: true }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'wx' }],
  ['block-export-add', { type: 'nbd', id: 'e-wx', 'node-name': 'wx', writable: true }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'ro', 'read-only': true }],
  ['blockdev-add', { driver: 'file', 'node-name': 'df', filename: 'd.raw' }],
  ['blockdev-add', { driver: 'raw', 'node-name': 'win', file: 'df', offset: 512, size: MiB }],
  ['blockdev-add', { driver: 'raw', 'node-name': 'plain', file: { driver: 'file', filename: 'other.qcow2' } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'solo', file: { driver: 'file', 'node-name': 'solo-file', filename: 'solo.qcow2' } }],
];

function setupLayer(steps: readonly Step[] = SETUP): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs(IMAGES));
  for (const [name, args] of steps) {
    const out = l.execute(name, args);
    if (out.kind !== 'reply' || !out.result.ok) throw new Error(`setup ${name} failed: ${JSON.stringify(out)}`);
  }
  return l;
}

function query(l: BlockLayer, name: string, args: JsonObject = {}): JsonValue {
  const out = l.execute(name, args);
  if (out.kind !== 'reply' || !out.result.ok) throw new Error(`${name} failed`);
  return out.result.value;
}

function parentName(p: Parent): string {
  switch (p.kind) {
    case 'node':
      return `node:${p.node.name}`;
    case 'backend':
      return `backend:${p.backend.id}`;
    case 'job':
      return `job:${p.job.jobId}`;
  }
}

const edgeState = (e: Edge) => ({ parent: parentName(e.parent), name: e.name, child: e.child.name, role: e.role, perm: e.perm, shared: e.shared, frozen: e.frozen });

function nodeState(n: BlockNode) {
  return {
    name: n.name,
    driver: n.driver.name,
    readOnly: n.readOnly,
    options: n.options,
    state: n.state,
    driverGone: n.driverGone,
    discard: n.discard,
    optionsOldestFirst: n.optionsOldestFirst,
    size: n.size,
    filename: n.filename,
    backingFile: n.backingFile,
    monitorOwned: n.monitorOwned,
    inheritsFrom: n.inheritsFrom?.name ?? null,
    forceShare: n.forceShare,
    implicit: n.implicit,
    closed: n.closed,
    locked: n.locked,
    // list order matters: QEMU's conflict messages depend on it
    children: n.children.map(edgeState),
    parents: n.parents.map(edgeState),
  };
}

/** Everything a failed command must leave alone, deep-copied so later mutation cannot hide a change. */
function snapshot(l: BlockLayer) {
  const env = l.env;
  return structuredClone({
    graph: query(l, 'x-debug-query-block-graph'),
    named: query(l, 'query-named-block-nodes', { flat: true }),
    nodes: [...env.graph.nodes.values()].map(nodeState),
    backends: env.graph.backends.map((b) => ({ id: b.id, name: b.name, edges: b.edges.map(edgeState) })),
    jobs: env.graph.jobs.map((j) => ({ id: j.jobId, type: j.type, edges: j.edges.map(edgeState) })),
    throttleGroups: [...env.throttleGroups.values()].map((g) => ({ id: g.id, users: g.users })),
    exports: [...env.exports.values()].map((x) => ({ id: x.id, name: x.name, node: x.nodeName, backend: x.backend.id, writable: x.writable })),
    nbdServerRunning: env.nbdServerRunning,
    images: IMAGES.map((i) => env.images.read(i.filename) ?? null),
  });
}

interface Case {
  readonly title: string;
  readonly command: string;
  readonly args: JsonObject;
  /** QEMU 7.2's error text for this invocation. */
  readonly error: string;
  readonly setup?: readonly Step[];
  /** A reopen QEMU does not undo but repeats (commit_active_start): only its QDict order bookkeeping may change. */
  readonly reopensAgain?: true;
}

/** The snapshot without the nodes' option-order bookkeeping a repeated reopen leaves. */
const withoutOptionOrder = (snap: unknown): unknown => JSON.parse(JSON.stringify(snap, (k, v: unknown) => (k === 'optionsOldestFirst' ? undefined : v)));

const CONFLICT = (node: string, perms: string, b: string, bEdge: string, a: string, aEdge: string) =>
  `Permission conflict on node '${node}': permissions '${perms}' are both required by ${b} (uses node '${node}' as '${bEdge}' child) and unshared by ${a} (uses node '${node}' as '${aEdge}' child).`;

const CASES: readonly Case[] = [
  // blockdev-add
  {
    title: 'quorum whose last child conflicts after two inline children were opened and attached',
    command: 'blockdev-add',
    args: {
      driver: 'quorum',
      'node-name': 'qq',
      'vote-threshold': 1,
      children: [{ driver: 'null-co', 'node-name': 'qa' }, { driver: 'raw', 'node-name': 'qb', file: { driver: 'null-co', 'node-name': 'qbf' } }, 'wx'],
    },
    error: CONFLICT('wx', 'write', 'an unnamed block device', 'root', "node 'qq'", 'children.2'),
  },
  {
    title: 'qcow2 whose backing reference is unknown after its inline file was attached',
    command: 'blockdev-add',
    args: { driver: 'qcow2', 'node-name': 'o', file: { driver: 'file', 'node-name': 'o-file', filename: 'other.qcow2' }, backing: 'nope' },
    error: "Could not open backing file: Cannot find device='nope' nor node-name='nope'",
  },
  {
    title: 'qcow2 over a file node already locked by a writable qcow2 (image lock, after the file is attached)',
    command: 'blockdev-add',
    args: { driver: 'qcow2', 'node-name': 'o2', file: { driver: 'file', 'node-name': 'o2-file', filename: 'top.qcow2' }, backing: null },
    error: 'Failed to get "write" lock',
  },
  {
    title: 'a duplicate node-name at depth 3 (raw > qcow2 > file)',
    command: 'blockdev-add',
    args: { driver: 'raw', 'node-name': 'deep', file: { driver: 'qcow2', 'node-name': 'deep-q', backing: null, file: { driver: 'file', 'node-name': 'top-file', filename: 'other.qcow2' } } },
    error: "Duplicate nodes with node-name='top-file'",
  },
  {
    title: 'a throttle filter over the exported chain with an unknown group (after its file is attached)',
    command: 'blockdev-add',
    args: { driver: 'throttle', 'node-name': 'thr2', file: 'thr', 'throttle-group': 'nope' },
    error: "Throttle group 'nope' does not exist",
  },
  {
    title: 'quorum whose inline throttle child joined a group before the last child conflicts',
    command: 'blockdev-add',
    args: {
      driver: 'quorum',
      'node-name': 'qt',
      'vote-threshold': 1,
      children: [{ driver: 'throttle', 'node-name': 'it', 'throttle-group': 'tg1', file: { driver: 'null-co', 'node-name': 'itn' } }, 'wx'],
    },
    error: CONFLICT('wx', 'write', 'an unnamed block device', 'root', "node 'qt'", 'children.1'),
  },
  // blockdev-del
  { title: 'del of an exported node', command: 'blockdev-del', args: { 'node-name': 'wx' }, error: 'Node wx is in use' },
  { title: 'del of a backing node', command: 'blockdev-del', args: { 'node-name': 'base' }, error: "Node 'base' is busy: node is used as backing hd of 'top'" },
  { title: 'del of an inline node', command: 'blockdev-del', args: { 'node-name': 'top-file' }, error: 'Node top-file is not owned by the monitor' },
  { title: 'del of a node with a node parent', command: 'blockdev-del', args: { 'node-name': 'df' }, error: 'Block device df is in use' },
  // blockdev-reopen
  {
    title: 'reopen list whose second element fails after the first dropped a backing link',
    command: 'blockdev-reopen',
    args: {
      options: [
        { driver: 'qcow2', 'node-name': 'top', backing: null, file: 'top-file' },
        { driver: 'raw', 'node-name': 'win', file: 'df', offset: 3 * MiB },
      ],
    },
    error: 'Offset (3145728) cannot be greater than size of the containing file (2097152)',
  },
  {
    title: 'reopen list that switches a throttle group and a file child, then fails on permissions',
    command: 'blockdev-reopen',
    args: {
      options: [
        { driver: 'throttle', 'node-name': 'thr', 'throttle-group': 'tg1', file: 'top' },
        { driver: 'raw', 'node-name': 'win', file: 'top-file', offset: 0, size: 512 },
        { driver: 'qcow2', 'node-name': 'top', 'read-only': true, backing: 'base', file: 'top-file' },
      ],
    },
    error: "Read-only block node 'top' cannot support read-write users",
  },
  {
    title: 'reopen that would close a cycle through a file edge',
    command: 'blockdev-reopen',
    args: { options: [{ driver: 'throttle', 'node-name': 'thr', 'throttle-group': 'tg0', file: 'thr' }] },
    error: "Making 'thr' a file child of 'thr' would create a cycle",
  },
  {
    title: 'reopen list whose first element replaced both backing and file, then the second fails',
    command: 'blockdev-reopen',
    args: {
      options: [
        { driver: 'qcow2', 'node-name': 'top', backing: null, file: 'solo-file' },
        { driver: 'raw', 'node-name': 'win', file: 'df', offset: 3 * MiB },
      ],
    },
    error: 'Offset (3145728) cannot be greater than size of the containing file (2097152)',
  },
  // block_resize
  { title: 'resize of a backing node is op-blocked', command: 'block_resize', args: { 'node-name': 'base', size: 2 * MiB }, error: "Device '(null)' is in use" },
  { title: 'resize of a qcow2 to an unaligned size fails in truncate after the BB attached', command: 'block_resize', args: { 'node-name': 'solo', size: 1000 }, error: 'The new size must be a multiple of 512' },
  { title: 'resize of null-co fails in truncate after the BB attached', command: 'block_resize', args: { 'node-name': 'ro', size: MiB }, error: 'Image is read-only' },
  { title: 'resize of a raw window fails in truncate after the BB attached', command: 'block_resize', args: { 'node-name': 'win', size: MiB }, error: 'Cannot resize fixed-size raw disks' },
  { title: 'resize of an exported node conflicts with the export', command: 'block_resize', args: { 'node-name': 'thr', size: 2 * MiB }, error: CONFLICT('thr', 'resize', 'an unnamed block device', 'root', 'an unnamed block device', 'root') },
  // object-add / object-del
  { title: 'duplicate throttle group', command: 'object-add', args: { 'qom-type': 'throttle-group', id: 'tg0' }, error: "attempt to add duplicate property 'tg0' to object (type 'container')" },
  { title: 'del of a group in use', command: 'object-del', args: { id: 'tg0' }, error: "object 'tg0' is in use, can not be deleted" },
  { title: 'del of an unknown object', command: 'object-del', args: { id: 'nope' }, error: "object 'nope' not found" },
  // nbd-server-start
  { title: 'second nbd-server-start', command: 'nbd-server-start', args: { addr: NBD_ADDR }, error: 'NBD server already running' },
  // block-export-add
  {
    title: 'export fails after its BlockBackend attached: no NBD server',
    command: 'block-export-add',
    args: { type: 'nbd', id: 'late', 'node-name': 'n0' },
    error: 'NBD server not running',
    setup: SETUP.filter(([name]) => name === 'blockdev-add' || name === 'object-add'),
  },
  { title: 'export name clash, found after the BlockBackend attached', command: 'block-export-add', args: { type: 'nbd', id: 'e2', 'node-name': 'top', name: 'wx' }, error: "NBD server already has export named 'wx'" },
  {
    title: 'export whose narrowing to unshare resize conflicts (second phase)',
    command: 'block-export-add',
    args: { type: 'nbd', id: 'e3', 'node-name': 'top-file' },
    error: CONFLICT('top-file', 'resize', "node 'top'", 'file', 'an unnamed block device', 'root'),
  },
  { title: 'writable export of a read-only node', command: 'block-export-add', args: { type: 'nbd', id: 'e4', 'node-name': 'ro', writable: true }, error: 'Cannot export read-only node as writable' },
  { title: 'duplicate export id', command: 'block-export-add', args: { type: 'nbd', id: 'e-q', 'node-name': 'n0' }, error: "Block export id 'e-q' is already in use" },
  {
    title: 'export on a filter whose narrowing changes the shared perms below before conflicting',
    command: 'block-export-add',
    args: { type: 'nbd', id: 'e5', 'node-name': 'tfd' },
    error: CONFLICT('top-file', 'resize', "node 'top'", 'file', "node 'tfd'", 'image'),
    setup: [...SETUP, ['blockdev-add', { driver: 'blkdebug', 'node-name': 'tfd', image: 'top-file' }]],
  },
  // block-export-del
  { title: 'del of an unknown export', command: 'block-export-del', args: { id: 'nope' }, error: "Export 'nope' is not found" },
  // x-blockdev-change
  { title: 'adding a read-only child to a writable exported quorum fails after attaching', command: 'x-blockdev-change', args: { parent: 'q', node: 'ro' }, error: 'Block node is read-only' },
  { title: 'removing a child at the vote threshold', command: 'x-blockdev-change', args: { parent: 'q', child: 'children.0' }, error: 'The number of children cannot be lower than the vote threshold 2' },
  { title: 'adding a node that has a parent', command: 'x-blockdev-change', args: { parent: 'q', node: 'top' }, error: 'The node top already has a parent' },
  // queries reject arguments too
  { title: 'query-named-block-nodes with an unknown argument', command: 'query-named-block-nodes', args: { bogus: 1 }, error: "Parameter 'bogus' is unexpected" },
  { title: 'x-debug-query-block-graph with an argument', command: 'x-debug-query-block-graph', args: { flat: true }, error: "Parameter 'flat' is unexpected" },
  { title: 'query-jobs with an argument', command: 'query-jobs', args: { x: 1 }, error: "Parameter 'x' is unexpected" },
  { title: 'query-block-jobs with an argument', command: 'query-block-jobs', args: { x: 1 }, error: "Parameter 'x' is unexpected" },
  // block jobs: failures after the job, its filter or a reopen were already made
  {
    title: 'active commit whose filter name clashes, after base was reopened read-write',
    command: 'block-commit',
    args: { device: 'top', 'job-id': 'j', 'filter-node-name': 'base-file' },
    error: "Duplicate nodes with node-name='base-file'",
    setup: SETUP.filter(([name, a]) => name === 'blockdev-add' && (a['node-name'] === 'base' || a['node-name'] === 'top')),
    reopensAgain: true,
  },
  { title: 'commit of a node into itself', command: 'block-commit', args: { device: 'solo', 'job-id': 'j' }, error: 'cannot commit an image into itself' },
  { title: 'stream whose filter name clashes', command: 'block-stream', args: { device: 'top', 'job-id': 's', 'filter-node-name': 'base' }, error: "Could not create node: Duplicate nodes with node-name='base'" },
  { title: 'mirror whose filter name clashes', command: 'blockdev-mirror', args: { device: 'solo', target: 'plain', sync: 'full', 'job-id': 'm', 'filter-node-name': 'top' }, error: "Duplicate nodes with node-name='top'" },
  { title: 'complete of an unknown job', command: 'job-complete', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'cancel of an unknown job', command: 'job-cancel', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'finalize of an unknown job', command: 'job-finalize', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'dismiss of an unknown job', command: 'job-dismiss', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'block-job-complete of an unknown device', command: 'block-job-complete', args: { device: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'block-job-cancel of an unknown device', command: 'block-job-cancel', args: { device: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'block-job-finalize of an unknown job', command: 'block-job-finalize', args: { id: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'block-job-dismiss of an unknown job', command: 'block-job-dismiss', args: { id: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'drive-mirror replacing without a node-name', command: 'drive-mirror', args: { device: 'solo', target: 'x.qcow2', sync: 'full', replaces: 'solo' }, error: 'a node-name must be provided when replacing a named node of the graph' },
  { title: 'pause of an unknown job', command: 'job-pause', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'resume of an unknown job', command: 'job-resume', args: { id: 'nope' }, error: 'Job not found' },
  { title: 'block-job-pause of an unknown device', command: 'block-job-pause', args: { device: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'block-job-resume of an unknown device', command: 'block-job-resume', args: { device: 'nope' }, error: "Block job 'nope' not found" },
  { title: 'snapshot onto an overlay that someone reads', command: 'blockdev-snapshot', args: { node: 'solo', overlay: 'top' }, error: 'The overlay is already in use' },
  { title: 'snapshot whose overlay would close a cycle, after attaching', command: 'blockdev-snapshot', args: { node: 'solo', overlay: 'solo' }, error: "Making 'solo' a backing child of 'solo' would create a cycle" },
  { title: 'block-job-set-speed of an unknown device', command: 'block-job-set-speed', args: { device: 'nope', speed: 1 }, error: "Block job 'nope' not found" },
];

describe('a failed command changes nothing', () => {
  it.each(CASES.map((c) => [`${c.command}: ${c.title}`, c] as const))('%s', (_title, c) => {
    const l = setupLayer(c.setup);
    const nodesBefore = [...l.env.graph.nodes.values()];
    const before = snapshot(l);
    const out = l.execute(c.command, c.args);
    expect(out.kind === 'reply' && !out.result.ok && out.result.error.message).toBe(c.error);
    if (c.reopensAgain) expect(withoutOptionOrder(snapshot(l))).toEqual(withoutOptionOrder(before));
    else expect(snapshot(l)).toEqual(before);
    // the same node objects, not look-alikes rebuilt by an abort
    expect([...l.env.graph.nodes.values()]).toHaveLength(nodesBefore.length);
    [...l.env.graph.nodes.values()].forEach((n, i) => expect(n).toBe(nodesBefore[i]));
  });

  it('covers every command the impl dispatches', () => {
    const covered = new Set(CASES.map((c) => c.command));
    expect(BLOCK_COMMAND_NAMES.filter((c) => !covered.has(c))).toEqual([]);
  });
});
