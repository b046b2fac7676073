// What one run of a scenario showed, step by step: the command, its reply, and the block graph after it.
import type { NormalizedGraph, RawBlockGraph } from '../qmp/normalized-graph.ts';
import type { JsonValue, QmpCommand, QmpEvent, QmpReply } from '../qmp/types.ts';

/** What query-named-block-nodes says of a node beyond drv/ro, for labels only. */
export interface NodeDetails {
  readonly nodeName: string;
  readonly file: string | null;
  readonly virtualSize: number | null;
}

/** A job as query-jobs lists it, for labels only. */
export interface JobDetails {
  readonly id: string;
  readonly type: string;
  readonly status: string;
}

/** The graph after a step: the normalized graph (the truth the page draws) and what labels it. */
export interface StepGraph {
  readonly normalized: NormalizedGraph;
  readonly raw: RawBlockGraph;
  /** Canonical (normalized) name per raw node id. */
  readonly canonical: ReadonlyMap<number, string>;
  readonly details: readonly NodeDetails[];
  readonly jobs: readonly JobDetails[];
}

export type StepReply =
  | { readonly kind: 'reply'; readonly reply: QmpReply }
  /** The daemon died before replying (the command killed it), or hangs (`hung`: what the client said). */
  | { readonly kind: 'died'; readonly stderr: string; readonly hung?: string }
  /** A reply came, then the daemon died in what the command started (a job), before the graph could be read. */
  | { readonly kind: 'replied-then-died'; readonly reply: QmpReply; readonly stderr: string }
  /** Not sent: the daemon had died at an earlier step. */
  | { readonly kind: 'not-sent' };

export interface TraceStep {
  readonly index: number;
  readonly command: QmpCommand;
  readonly reply: StepReply;
  readonly events: readonly QmpEvent[];
  /** Null once the target is gone, or when it could not say what its graph is. */
  readonly graph: StepGraph | null;
  /** Why graph is null while the target lives (a bad graph reply), else null. */
  readonly graphProblem: string | null;
}

export type TargetLabel = 'impl' | 'qemu';

export interface StepTrace {
  readonly target: TargetLabel;
  /** What the target said it is (QEMU's version string, or the impl's variant). */
  readonly targetText: string;
  /** The graph before the first command. */
  readonly initial: StepGraph | null;
  readonly steps: readonly TraceStep[];
}

export function replyValue(r: StepReply): JsonValue | null {
  switch (r.kind) {
    case 'reply':
    case 'replied-then-died':
      return 'return' in r.reply ? r.reply.return : null;
    case 'died':
    case 'not-sent':
      return null;
  }
}
