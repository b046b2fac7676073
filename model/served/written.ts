// Guest data the model stops following: what a job may write (from its creation on, whether it copies all or fails
// half-way), and what a read through a copy-on-read filter copies up into the node below it.
import type { ObservationStep } from '../../qmp/observation.ts';
import { childEdges, filterChild, node, writeReach } from '../graph.ts';
import type { Image, JobDetail, ModelState } from '../state.ts';
import { within } from './spans.ts';

/** The images a write into `name` reaches, their layouts no longer followed (changed in place: a command's draft). */
function unfollow(s: ModelState, name: string): void {
  for (const { node: n } of writeReach(s, name)) {
    const image = s.images[s.drivers[n.driver].imageFile?.(n).filename ?? ''];
    if (image) image.layout = undefined;
  }
}

/** A file cut to `size`: what was written past it is gone (a later growth is a hole there). */
export function cutTo(image: Image, size: number): void {
  if (image.layout !== undefined && image.content.kind === 'raw') image.layout = within(image.layout, 0, size);
}

/** A job writes its target (mirror), base (commit) or device (stream). */
export function jobWrites(d: ModelState, detail: JobDetail): void {
  unfollow(d, detail.kind === 'mirror' ? detail.target : detail.kind === 'commit' ? detail.base : detail.device);
}

/** The state after an observation: a checksum read through a copy-on-read filter copied what it read up. */
export function afterRead(s: ModelState, o: ObservationStep): ModelState {
  const cor: string[] = [];
  const walk = (name: string): void => {
    if (node(s, name).driver === 'copy-on-read') cor.push(name);
    for (const e of childEdges(s, name)) walk(e.child);
  };
  if (o.kind === 'observe-checksum' && s.nodes.some((n) => n.name === o.node)) walk(o.node);
  if (cor.length === 0) return s;
  const copy = { ...s, images: Object.fromEntries(Object.entries(s.images).map(([k, i]) => [k, { ...i }])) };
  for (const c of cor) {
    const below = filterChild(copy, c);
    if (below !== undefined) unfollow(copy, below);
  }
  return copy;
}
