// Guest data the model stops following: what a job may write (from its creation on, whether it copies all or fails
// half-way), what a read through a copy-on-read filter copies up, and what cutting a file drops.
import type { ObservationStep } from '../../qmp/observation.ts';
import { childEdges, filterChild, node, writeReach } from '../graph.ts';
import type { Image, JobDetail, ModelState } from '../state.ts';

/** The images a write into `name` reaches, their layouts no longer followed (changed in place: a command's draft). */
function unfollow(s: ModelState, name: string): void {
  for (const { node: n } of writeReach(s, name)) {
    const image = s.images[s.drivers[n.driver].imageFile?.(n).filename ?? ''];
    if (image) image.layout = undefined;
  }
}

/** The nodes a read through `name` copies up into: the child of each copy-on-read filter on its way down. */
const copiedUp = (s: ModelState, name: string): string[] =>
  [...(s.drivers[node(s, name).driver].copiesOnRead === true ? [filterChild(s, name) ?? name] : []), ...childEdges(s, name).flatMap((e) => copiedUp(s, e.child))];

/** A job writes its target (mirror), base (commit) or device (stream), and its reads through its filter copy up. */
export function jobWrites(d: ModelState, detail: JobDetail, filter: string): void {
  for (const n of [detail.kind === 'mirror' ? detail.target : detail.kind === 'commit' ? detail.base : detail.device, ...copiedUp(d, filter)]) unfollow(d, n);
}

/** A file cut to `size`: what was written past it is gone (growing it again makes a hole there). */
export function cutTo(image: Image, size: number): void {
  if (image.layout !== undefined && image.content.kind === 'raw') image.layout = { ...image.layout, size: Math.min(size, image.layout.size) };
}

/** The state after an observation: a checksum read through a copy-on-read filter copied what it read up. */
export function afterRead(s: ModelState, o: ObservationStep): ModelState {
  const below = o.kind === 'observe-checksum' && s.nodes.some((n) => n.name === o.node) ? copiedUp(s, o.node) : [];
  if (below.length === 0) return s;
  const copy = { ...s, images: Object.fromEntries(Object.entries(s.images).map(([k, i]) => [k, { ...i }])) };
  for (const b of below) unfollow(copy, b);
  return copy;
}
