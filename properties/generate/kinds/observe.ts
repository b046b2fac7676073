// observe-block-status / observe-checksum (qmp/observation.ts): what a node serves, most often right after a job
// started or completed or a node was replaced, and for a filter and its filtered child one after the other.
import fc from 'fast-check';
import { observationCommand, observationOf, type ObservationName } from '../../../qmp/observation.ts';
import type { QmpCommand } from '../../../qmp/types.ts';
import { pick } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import type { SnapNode } from '../../snapshot.ts';
import { childEdgesOf, namedNodes, parentEdgesOf } from '../gen-state.ts';

/** Commands after which what nodes serve may have changed: jobs, their verbs, replacements. */
const MOVES = new Set([
  'block-stream', 'block-commit', 'blockdev-mirror', 'drive-mirror', 'blockdev-snapshot', 'x-blockdev-change',
  'job-complete', 'block-job-complete', 'job-finalize', 'block-job-finalize', 'job-cancel', 'block-job-cancel',
]);

/** The node the last observation looked at pairs with: a filter's filtered child, or the filter above a child. */
function partner(s: GenState, last: QmpCommand | undefined): string | undefined {
  const o = last ? observationOf(last) : undefined;
  const n = o ? namedNodes(s).find((x) => x.name === o.node) : undefined;
  if (!n) return undefined;
  const down = n.isFilter ? childEdgesOf(s, n).find((e) => e.role.kind === 'filtered') : undefined;
  const up = parentEdgesOf(s, n).find((e) => e.parent.kind === 'node' && e.role.kind === 'filtered');
  const name = down?.child ?? (up?.parent.kind === 'node' ? up.parent.name : undefined);
  return name !== undefined && namedNodes(s).some((x) => x.name === name) ? name : undefined;
}

/** A checksum reads every byte through QEMU's export (qemu-img convert skips only what block status calls zero):
 * 64 MiB took 1.0 s, a null-co's default 1 GiB 7.8 s (load ~7.5), and the impl hashes as much; block status reads
 * no data, so any node may be asked for it. */
export const CHECKSUM_MAX_BYTES = 64 * 1024 * 1024;

/** The named nodes an observation may ask about. */
function observable(s: GenState, kind: ObservationName): SnapNode[] {
  return namedNodes(s).filter((n) => kind === 'observe-block-status' || n.size <= CHECKSUM_MAX_BYTES);
}

function observeKind(kind: ObservationName, weight: number): CommandKind {
  return {
    kind,
    weight,
    weightIn(s) {
      // a filter's block status means most beside its child's (filter-serves-its-child compares the two)
      if (kind === 'observe-block-status' && s.last?.execute === 'observe-block-status' && partner(s, s.last) !== undefined) return weight * 20;
      return s.last && MOVES.has(s.last.execute) ? weight * 4 : weight;
    },
    applicable: (s) => observable(s, kind).length > 0,
    generate(s) {
      const named = observable(s, kind);
      const filters = named.filter((n) => n.isFilter).map((n) => n.name);
      const pair = kind === 'observe-block-status' ? partner(s, s.last) : undefined;
      const any = pick(named.map((n) => n.name));
      const node = fc.oneof(
        { weight: pair !== undefined ? 6 : 0, arbitrary: fc.constant(pair ?? '') },
        { weight: filters.length > 0 ? 2 : 0, arbitrary: filters.length > 0 ? pick(filters) : any },
        { weight: 2, arbitrary: any },
      );
      return node.map((n) => observationCommand(kind, n));
    },
  };
}

export const observeBlockStatus = observeKind('observe-block-status', 3);
export const observeChecksum = observeKind('observe-checksum', 2);
