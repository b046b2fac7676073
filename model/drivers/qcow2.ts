// qcow2: a format over `file` whose header, read through it at open, gives its length and names a backing file.
import type { JsonObject } from '../../qmp/types.ts';
import { childEdge, imageAtZero, node } from '../graph.ts';
import { isObjectValue } from '../../qmp/json-value.ts';
import { COW_ROLE, IMAGE } from '../perm-rules.ts';
import { OK, fail, ok, seq, unjudged, type Result } from '../result.ts';
import type { Content, ModelState } from '../state.ts';
import type { Driver, OpenContext } from './driver.ts';

const headerIn = (s: ModelState, image: string | undefined): Extract<Content, { kind: 'qcow2' }> | undefined => {
  const c = image === undefined ? undefined : s.images[image]?.content;
  return c?.kind === 'qcow2' ? c : undefined;
};

/** qcow2_do_open: the header is whatever a read at offset 0 through `file` returns. */
function readHeader(c: OpenContext): Result {
  const file = childEdge(c.d, c.node.name, 'file')?.child;
  const at = file === undefined ? ok(null) : imageAtZero(c.d, file);
  if (!at.ok) return at;
  const content = at.value === null ? undefined : c.d.images[at.value]?.content;
  if (content?.kind === 'unknown') return unjudged('image-data');
  if (content?.kind !== 'qcow2' || at.value === null) return fail('invalid-param', 'Image is not in qcow2 format');
  Object.assign(c.node, { image: at.value, size: content.virtualSize, namesBacking: content.backing !== null });
  return OK;
}

/** bdrv_open_backing_file: a reference, a dict, null, or the header's name (a format over that file, or format "file"). */
function openBacking(c: OpenContext): Result {
  const [value, named, image] = [c.args['backing'], headerIn(c.d, c.node.image)?.backing ?? null, c.node.image ?? ''];
  if (value === undefined && named === 'unknown') return unjudged('image-data');
  const fromHeader = value === undefined && named !== null && named !== 'unknown' ? named : undefined;
  // a header naming an image this open already passes through would be opened again and again (7.2 dies of it)
  if (fromHeader?.format === 'qcow2' && (fromHeader.file === image || c.opening.includes(fromHeader.file))) {
    return fail('cycle', `The backing files named by '${c.node.name}' form a loop through '${fromHeader.file}'`);
  }
  // a dict without file.filename gets the header's name as its filename, which a `file` reference contradicts
  if (isObjectValue(value) && named !== null && typeof value['file'] === 'string') {
    return fail('invalid-param', 'Could not open backing file: Cannot reference an existing block device with additional options or a new filename');
  }
  const byName = (f: { file: string; format: string }): JsonObject =>
    f.format === 'file' ? { driver: 'file', filename: f.file } : { driver: f.format, file: { driver: 'file', filename: f.file } };
  const spec = fromHeader === undefined ? value : byName(fromHeader);
  return spec === undefined || spec === null ? OK : c.child('backing', COW_ROLE, 'backing', spec, fromHeader ? [...c.opening, image] : []);
}

export const qcow2: Driver = {
  name: 'qcow2',
  format: true,
  open: (c) => seq(() => c.child('file', IMAGE), () => readHeader(c), () => openBacking(c)),
  reopenMutable: [
    ...['lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other', 'overlap-check', 'cache-size'],
    ...['l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size', 'cache-clean-interval'],
  ],
  length: (_, n) => n.size,
  truncate: (d, n, size) => {
    const header = headerIn(d, n.image);
    if (header === undefined) return unjudged('image-data');
    if (size % 512 !== 0) return fail('invalid-param', 'The new size must be a multiple of 512');
    header.virtualSize = n.size = size;
    // the L1, L2 and refcount clusters a resize allocates or frees change the file's length: not followed from here
    const image = d.images[n.image ?? ''];
    if (image) image.length = undefined;
    for (let f = childEdge(d, n.name, 'file')?.child; f !== undefined; f = childEdge(d, f, 'file')?.child) node(d, f).size = undefined;
    return OK;
  },
};
