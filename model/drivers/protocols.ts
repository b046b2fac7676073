// The protocols take no `file`: a file node holds one image file (and its lock), null-co holds nothing.
import { num, sectors, str } from '../graph.ts';
import { OK, fail } from '../result.ts';
import { cutTo } from '../served/written.ts';
import type { Driver } from './driver.ts';

/** file-posix: it locks its image unless `locking: off`. */
export const file: Driver = {
  name: 'file',
  protocol: true,
  open: ({ d, node, args }) => {
    const image = d.images[str(args, 'filename') ?? ''];
    if (!image) return fail('io-error', `Could not open '${str(args, 'filename') ?? ''}': No such file or directory`);
    node.size = image.length === undefined ? undefined : sectors(image.length);
    return OK;
  },
  reopenMutable: ['drop-cache', 'x-check-cache-dropped'],
  length: (_, n) => n.size,
  truncate: (d, n, size) => {
    const image = d.images[str(n.opts, 'filename') ?? ''];
    // cutting a qcow2 image's file (maybe: its length not followed) loses metadata, even its header's backing name (0005)
    if (image?.content.kind === 'qcow2' && size < (image.length ?? Infinity)) image.content = { kind: 'unknown' };
    if (image) cutTo(image, size);
    if (image) image.length = size;
    n.size = sectors(size);
    return OK;
  },
  readAtZero: () => ({ kind: 'image' }),
  imageFile: (n) => ({ filename: str(n.opts, 'filename') ?? '', locked: n.opts['locking'] !== 'off' }),
};

/** Reads give zeros (or nothing), never a header. */
export const nullCo: Driver = {
  name: 'null-co',
  protocol: true,
  // 7.2 aborts on a negative size (error_abort in parse_option_size); it is simply invalid
  open: ({ args }) => ((num(args, 'size') ?? 0) < 0 ? fail('invalid-param', "Parameter 'size' expects a non-negative number below 2^64") : OK),
  reopenMutable: [],
  length: (_, n) => num(n.opts, 'size') ?? 2 ** 30,
  readAtZero: () => ({ kind: 'other-bytes' }),
};
