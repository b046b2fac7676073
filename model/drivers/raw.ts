// raw: a format that passes its `file` through (role FILTERED), or a window of it with offset/size (DATA).
import type { JsonObject } from '../../qmp/types.ts';
import { childEdge, lengthBelow, num } from '../graph.ts';
import { DATA_PRIMARY, FILTERED } from '../perm-rules.ts';
import { OK, fail, seq, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { ModelState } from '../state.ts';
import type { Driver } from './driver.ts';

const windowed = (o: JsonObject): boolean => (num(o, 'offset') ?? 0) !== 0 || num(o, 'size') !== undefined;

/** raw_apply_options: the window lies inside the (current) file child and is sector-sized. */
function checkWindow(s: ModelState, name: string, o: JsonObject): Result {
  const [offset, size, real] = [num(o, 'offset') ?? 0, num(o, 'size'), lengthBelow(s, name, 'file')];
  if (offset < 0 || (size ?? 0) < 0) return fail('invalid-param', 'offset and size must not be negative');
  if (real === undefined) return unjudged('image-data');
  if (offset > real) return fail('invalid-param', `Offset (${offset}) cannot be greater than size of the containing file (${real})`);
  if (size !== undefined && real - offset < size) return fail('invalid-param', `The window ends beyond the containing file (${real})`);
  return size !== undefined && size % 512 !== 0 ? fail('invalid-param', 'Specified size is not multiple of 512') : OK;
}

export const raw: Driver = {
  name: 'raw',
  open: ({ d, node, args, child }) =>
    seq(
      () => ((num(args, 'offset') ?? 0) < 0 || (num(args, 'size') ?? 0) < 0 ? fail('invalid-param', 'offset and size must not be negative') : OK),
      () => child('file', windowed(args) ? DATA_PRIMARY : FILTERED),
      () => checkWindow(d, node.name, args),
    ),
  recheck: (s, n, opts) => checkWindow(s, n.name, opts),
  reopenMutable: ['offset', 'size'],
  // raw_getlength: nothing past a file shorter than the offset, a fixed size no more than the file holds
  length: (s, n) => {
    const file = lengthBelow(s, n.name, 'file');
    const room = file === undefined ? undefined : Math.max(0, file - (num(n.opts, 'offset') ?? 0));
    return room === undefined ? undefined : Math.min(num(n.opts, 'size') ?? room, room);
  },
  variableLength: true,
  truncate: (d, n, size, below) => {
    const f = childEdge(d, n.name, 'file')?.child;
    if (num(n.opts, 'size') !== undefined || f === undefined) return fail('unsupported', 'Cannot resize fixed-size raw disks');
    return below(f, size + (num(n.opts, 'offset') ?? 0));
  },
  readAtZero: (n) => ((num(n.opts, 'offset') ?? 0) === 0 ? { kind: 'child', edge: 'file' } : { kind: 'other-bytes' }),
};
