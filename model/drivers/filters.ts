// The filters: one child carries reads and writes (FILTERED), so their length, truncate and reads follow it.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, notFrozen } from '../check.ts';
import { canReplace, childEdge, childEdges, driverLength, findNode, isFilter, lengthBelow, num, str } from '../graph.ts';
import { DATA, FILTERED, optionFacts } from '../perm-rules.ts';
import { OK, fail, seq, type Result } from '../result.ts';
import type { ModelState } from '../state.ts';
import type { Driver } from './driver.ts';

const filterOver = (edge: string): Pick<Driver, 'length' | 'truncate' | 'readAtZero'> => ({
  length: (s, n) => lengthBelow(s, n.name, edge),
  truncate: (d, n, size, below) => {
    const c = childEdge(d, n.name, edge)?.child;
    const r = c === undefined ? OK : below(c, size);
    // the node the resize went through refreshes its length; its other parents keep theirs
    if (r.ok) n.size = driverLength(d, n.name);
    return r;
  },
  readAtZero: () => ({ kind: 'child', edge }),
});

const groupExists = (s: ModelState, o: JsonObject): Result =>
  s.groups.includes(str(o, 'throttle-group') ?? '') ? OK : fail('not-found', `Throttle group '${str(o, 'throttle-group') ?? ''}' does not exist`);

/** throttle names a throttle-group object, which must exist and stays in use. */
export const throttle: Driver = {
  name: 'throttle',
  open: (c) => seq(() => c.child('file', FILTERED), () => groupExists(c.d, c.args)),
  recheck: (s, _, opts) => groupExists(s, opts),
  reopenMutable: ['throttle-group'],
  ...filterOver('file'),
  usesGroup: (n, group) => n.opts['throttle-group'] === group,
};

/** copy-on-read with a `bottom` freezes the chain down to it (block-stream's filter). */
export const copyOnRead: Driver = {
  name: 'copy-on-read',
  open: ({ d, node, args, child }) =>
    seq(
      () => child('file', FILTERED),
      () => {
        const [bottom, b] = [str(args, 'bottom'), findNode(d, str(args, 'bottom') ?? '')];
        if (bottom === undefined) return OK;
        if (!b) return fail('not-found', `Bottom node '${bottom}' not found`);
        return isFilter(b) ? fail('invalid-param', `Bottom node '${bottom}' is a filter`) : notFrozen(d, chainLinks(d, node.name, bottom), node.name);
      },
    ),
  ...filterOver('file'),
  copiesOnRead: true,
  variableLength: true,
};

/** blkdebug takes and unshares extra perms, and may ask writers for aligned lengths. */
export const blkdebug: Driver = {
  name: 'blkdebug',
  open: ({ d, args, child }) => {
    const align = num(args, 'align') ?? 0;
    return seq(
      () => (str(args, 'config') === undefined || d.images[str(args, 'config') ?? ''] ? OK : fail('io-error', 'Could not read blkdebug config file')),
      () => child('image', FILTERED),
      () => (align === 0 || (align < 2 ** 31 - 1 && (align & (align - 1)) === 0) ? OK : fail('invalid-param', `Cannot meet constraints with align ${align}`)),
    );
  },
  reopenMutable: [],
  ...filterOver('image'),
  ruleFacts: (n) => optionFacts(n.opts),
  writeAlign: (n) => num(n.opts, 'align') ?? 0,
};

/** blkverify also reads `test` (DATA) and compares; its length and reads are test's. */
export const blkverify: Driver = {
  name: 'blkverify',
  open: (c) => seq(() => c.child('raw', FILTERED), () => c.child('test', DATA)),
  ...filterOver('raw'),
  length: (s, n) => lengthBelow(s, n.name, 'test'),
  readAtZero: () => ({ kind: 'child', edge: 'test' }),
  canReplace: (s, n, r) => childEdges(s, n.name).some((e) => (e.name === 'raw' || e.name === 'test') && canReplace(s, e.child, r)),
};

/** The filters block jobs put above their source (never created by blockdev-add); mirror_top's mode is the job's. */
export const mirrorTop: Driver = {
  name: 'mirror_top',
  ...filterOver('backing'),
  variableLength: true,
  ruleFacts: (n) => ({ mirrorMode: n.mirror?.stopping === true ? 'stopping' : n.mirror?.commit === true ? 'commit' : 'mirror' }),
};
export const commitTop: Driver = { name: 'commit_top', ...filterOver('backing'), variableLength: true };
