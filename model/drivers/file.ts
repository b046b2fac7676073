// file (file-posix): a protocol over one image file, whose lock it holds unless `locking: off`.
import { str } from '../graph.ts';
import { OK, fail } from '../result.ts';
import { cutTo } from '../served/written.ts';
import type { Driver } from './driver.ts';

const sectors = (n: number): number => Math.ceil(n / 512) * 512;

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
    // cutting a qcow2 image's file leaves metadata the model does not follow (a later write corrupts it)
    if (image?.content.kind === 'qcow2' && size < (image.length ?? 0)) image.content = { kind: 'unknown' };
    if (image) cutTo(image, size);
    if (image) image.length = size;
    n.size = sectors(size);
    return OK;
  },
  readAtZero: () => ({ kind: 'image' }),
  imageFile: (n) => ({ filename: str(n.opts, 'filename') ?? '', locked: n.opts['locking'] !== 'off' }),
};
