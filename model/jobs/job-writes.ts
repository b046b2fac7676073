// What a block job writes into images (its copy, an overlay's new backing name): the model does not follow it byte by
// byte, so it says what it no longer knows, and where image data decides whether the job fails.
import type { Draft } from '../draft.ts';
import { childEdges, lengthOf, lengthsOf, node, writeReach } from '../graph.ts';
import { truncate } from '../ops/nodes.ts';
import { OK, asJobError, ok, unjudged, type Result } from '../result.ts';
import type { Job, ModelState } from '../state.ts';
import { inNested } from './job-end.ts';

/** Does a read through `name` pass a vote among children's data (a quorum), which may fail on what they hold? */
export const votes = (s: ModelState, name: string): boolean =>
  s.drivers[node(s, name).driver].votes === true || childEdges(s, name).some((e) => votes(s, e.child));

/** A job whose success image data decides (`uncertain`) fails where `d.failing` says so; apply tries the other way too. */
export function dataDecides(d: Draft, job: Job, uncertain: boolean): boolean {
  if (uncertain && !d.dataDependent.includes(job.id)) d.dataDependent.push(job.id);
  return uncertain && d.failing.has(job.id);
}

/** A job copies into `name`; whether a read on the way fails (EIO) may depend on data (`uncertain`). */
export const copy = (d: Draft, job: Job, name: string, uncertain: boolean): Result<string | undefined> =>
  dataDecides(d, job, uncertain) ? ok('Input/output error') : asJobError(copyInto(d, name));

/** A copy's base (commit_run, an active commit's mirror_run) grows to its source's length first, or the job fails. */
export function growAndCopy(d: Draft, job: Job, from: string, into: string, cannot?: string): Result<string | undefined> {
  const lengths = lengthsOf(d, from, into);
  if (!lengths.ok) return lengths;
  const [have = 0, want = 0] = lengths.value;
  const grown = have > want ? inNested(d, (t) => truncate(t, into, have)) : OK;
  return grown.ok ? copy(d, job, into, votes(d, from)) : asJobError(grown, cannot);
}

/** Which bytes a copy writes the model does not follow, so the nodes and images it reaches get lengths it does not
 * know (allocations, writes past the end), and images reached at their first bytes unknown content. A format whose
 * metadata is not followed (a cut image, a swapped file) would be corrupted by the write: not judged. */
function copyInto(d: Draft, name: string): Result {
  const lost = (n: string): boolean =>
    (d.drivers[node(d, n).driver].format === true && d.images[node(d, n).image ?? '']?.content.kind !== 'qcow2') ||
    childEdges(d, n).some((e) => e.role.kind !== 'cow' && lost(e.child));
  if (lost(name)) return unjudged('image-data');
  const extent = lengthOf(d, name) ?? Infinity;
  for (const { node: n, bytes } of writeReach(d, name)) {
    const image = d.images[d.drivers[n.driver].imageFile?.(n).filename ?? ''];
    // allocations below a format, and writes within a stale length past a file's end, grow what they pass
    const grows = !bytes || (image !== undefined && extent > (image.length ?? Infinity));
    if (grows && d.drivers[n.driver].format !== true) n.size = undefined;
    if (image) Object.assign(image, grows ? { length: undefined } : {}, bytes ? { content: { kind: 'unknown' } } : {});
  }
  return OK;
}

/** A job rewrites `overlay`'s header to name its new backing (none: undefined); which name it writes (a file name,
 * json:, `backing-file`) is header contents the model does not follow, so opening that backing again is not judged. */
export function writeBackingName(d: Draft, overlay: string, base: string | undefined): Result {
  const n = node(d, overlay);
  const content = d.images[n.image ?? '']?.content;
  if (content?.kind !== 'qcow2') return unjudged('image-data');
  content.backing = base === undefined ? null : 'unknown';
  n.namesBacking = base !== undefined;
  return OK;
}
