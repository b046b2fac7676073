// Which graph each step shows and what is marked on it: the graph after the step, or, when the step killed the
// daemon, the graph it ran on (there is no graph after it), with the nodes the fatal command names marked.
import type { NormalizedGraph } from '../qmp/normalized-graph.ts';
import { marksFromCommand, marksFromMessage, NO_MARKS, type Marks } from './finding-marks.ts';
import { graphDot } from './graph-dot.ts';
import { graphView, type GraphView } from './graph-view.ts';
import type { StepGraph, StepTrace, TraceStep } from './step-trace.ts';

export interface FindingRef {
  readonly step: number;
  readonly message: string;
}

export interface StepPicture {
  readonly step: number;
  /** Whose graph is drawn: this step's, an earlier step's (after a death), `initial` (before any command). */
  readonly graphOf: number | 'initial' | null;
  readonly caption: string;
  readonly view: GraphView | null;
  readonly dot: string | null;
}

function mergeMarks(a: Marks, b: Marks): Marks {
  return { nodes: new Set([...a.nodes, ...b.nodes]), edges: new Set([...a.edges, ...b.edges]) };
}

function picture(step: number, graphOf: number | 'initial', g: StepGraph, prev: NormalizedGraph | null, marks: Marks, caption: string): StepPicture {
  const prefix = step < 0 ? 'init' : `s${step}`;
  const view = graphView(prefix, g, prev, marks);
  return { step, graphOf, caption, view, dot: graphDot(view, caption, prefix) };
}

function empty(step: number, caption: string): StepPicture {
  return { step, graphOf: null, caption, view: null, dot: null };
}

function pictureOf(s: TraceStep, before: { graph: StepGraph; of: number | 'initial' } | null, finding: FindingRef | undefined): StepPicture {
  const named = finding !== undefined && finding.step === s.index;
  switch (s.reply.kind) {
    case 'not-sent':
      return empty(s.index, `step ${s.index}: not sent (the daemon had died or hung)`);
    case 'died':
    case 'replied-then-died': {
      const did = s.reply.kind === 'died' && s.reply.hung !== undefined ? 'hung' : 'killed';
      if (before === null) return empty(s.index, `step ${s.index}: ${s.command.execute} ${did} the daemon; there is no graph`);
      const marks = mergeMarks(marksFromCommand(before.graph, s.command), named ? marksFromMessage(before.graph, finding.message) : NO_MARKS);
      const caption = `step ${s.index}: ${s.command.execute} ${did} the daemon; the graph it ran on (after ${before.of === 'initial' ? 'start' : `step ${before.of}`})`;
      // nothing changed: the picture is the one before, marked
      return picture(s.index, before.of, before.graph, before.graph.normalized, marks, caption);
    }
    case 'reply': {
      if (s.graph === null) return empty(s.index, `step ${s.index}: no graph${s.graphProblem === null ? '' : `: ${s.graphProblem}`}`);
      const marks = named ? marksFromMessage(s.graph, finding.message) : NO_MARKS;
      return picture(s.index, s.index, s.graph, before?.graph.normalized ?? null, marks, `after step ${s.index}: ${s.command.execute}`);
    }
  }
}

/** One picture per step, plus the graph before the first command when it is not empty. */
export function stepPictures(trace: StepTrace, finding: FindingRef | undefined): { initial: StepPicture | null; steps: StepPicture[] } {
  let before: { graph: StepGraph; of: number | 'initial' } | null = trace.initial === null ? null : { graph: trace.initial, of: 'initial' };
  const initial =
    trace.initial !== null && trace.initial.normalized.nodes.length > 0 ? picture(-1, 'initial', trace.initial, null, NO_MARKS, 'before the first command') : null;
  const steps: StepPicture[] = [];
  for (const s of trace.steps) {
    steps.push(pictureOf(s, before, finding));
    if (s.graph !== null) before = { graph: s.graph, of: s.index };
  }
  return { initial, steps };
}
