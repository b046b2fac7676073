// What an exported iotest asserts after the finding's step: the *right* behaviour, derived from the finding's
// detector (a crash: the daemon lives; an invariant: the property over x-debug-query-block-graph; a disagreement:
// what the reference model does). Node names are canonical paths (`top/file`), resolved by the test at run time.
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { DISAGREEMENT, KNOWN_72_DEFECT, QEMU_ABORT } from '../properties/run/finding.ts';
import { filteredChildren } from '../show/driver-class.ts';
import { expectedEdgeFacts, failureVisible, referenceFacts, referenceReplies } from './reference-facts.ts';

export interface EdgeFact {
  readonly parent: string;
  readonly role: string;
  readonly child: string;
  readonly perm: readonly string[];
  readonly shared: readonly string[];
}

export interface NodeFact {
  readonly name: string;
  readonly drv: string;
  readonly ro: boolean;
}

export type IotestCheck =
  /** A crash: after the step the daemon is alive and answering. */
  | { readonly kind: 'alive' }
  /** failed-command-leaves-graph-unchanged: the step fails and leaves nodes, flags and edges as they were. */
  | { readonly kind: 'graph-unchanged' }
  /** edge-perms-match-driver-rules: these edges carry what the perm rules give. */
  | { readonly kind: 'edge-perms'; readonly edges: readonly EdgeFact[] }
  /** filter-has-one-filtered-child: every filter node has exactly one child under its filtered child's name. */
  | { readonly kind: 'filters'; readonly filters: readonly (readonly [string, string])[] }
  | { readonly kind: 'acyclic' }
  /** mirror-top-drop-never-fails: completing every ready job works and the daemon lives. */
  | { readonly kind: 'jobs-complete' }
  /** A disagreement with the reference model: the step's outcome and the graph facts where the two differ. */
  | { readonly kind: 'reference'; readonly reply: ReplyKind; readonly desc: string | null; readonly nodes: readonly NodeFact[]; readonly edges: readonly EdgeFact[] }
  /** An invariant no QMP query shows: only that the daemon lives and replies as the reference does. */
  | { readonly kind: 'replies'; readonly reason: string; readonly replies: readonly ReplyKind[] };

export type ReplyKind = 'return' | 'error';

export type ChecksResult = { readonly ok: true; readonly check: IotestCheck } | { readonly ok: false; readonly message: string };

export async function iotestCheck(f: Fixture): Promise<ChecksResult> {
  switch (f.finding.detector) {
    case QEMU_ABORT:
      return { ok: true, check: { kind: 'alive' } };
    case 'failed-command-leaves-graph-unchanged':
      return (await failureVisible(f)) ? { ok: true, check: { kind: 'graph-unchanged' } } : replies(f, 'what the failed command changed (node options) shows in no QMP query, only in later behaviour');
    case 'edge-perms-match-driver-rules': {
      // a historical bug switched on in the impl: without it the edges it names may not even exist
      if (f.status === 'quirk') return replies(f, `it shows only with the historical bug ${f.expect.reproduces.quirks.join(', ')}; QEMU must reply as without it`);
      const edges = await expectedEdgeFacts(f);
      return edges.ok ? { ok: true, check: { kind: 'edge-perms', edges: edges.value } } : edges;
    }
    case 'filter-has-one-filtered-child':
      return { ok: true, check: { kind: 'filters', filters: [...filteredChildren()].sort() } };
    case 'graph-is-acyclic':
      return { ok: true, check: { kind: 'acyclic' } };
    case 'mirror-top-drop-never-fails':
      return { ok: true, check: { kind: 'jobs-complete' } };
    case DISAGREEMENT:
    case KNOWN_72_DEFECT: {
      if (f.finding.against === 'qemu') return replies(f, 'the impl differed from QEMU here: a gap in the emulation, not a QEMU bug');
      const r = await referenceFacts(f, f.finding.detector === DISAGREEMENT);
      return r.ok ? { ok: true, check: { kind: 'reference', ...r.value } } : r;
    }
    default:
      return replies(f, `the invariant ${f.finding.detector} looks at state no QMP query shows`);
  }
}

async function replies(f: Fixture, reason: string): Promise<ChecksResult> {
  const r = await referenceReplies(f);
  return r.ok ? { ok: true, check: { kind: 'replies', reason, replies: r.value } } : r;
}
