// `bgcheck show` for one input: replay it on the chosen target, then one page, or one SVG/DOT file a step.
import { PLAIN } from '../properties/run/target.ts';
import { findingWords } from './finding-words.ts';
import type { Input } from './load-input.ts';
import type { GraphRenderer } from './layout.ts';
import { pageHtml } from './page-html.ts';
import { stepPictures, type StepPicture } from './step-pictures.ts';
import type { StepTrace, TargetLabel } from './step-trace.ts';
import { traceScenario } from './trace-target.ts';

export interface ShowOptions {
  readonly target: TargetLabel;
  readonly qemu?: string;
}

export type Shown =
  | { readonly ok: true; readonly trace: StepTrace; readonly html: string; readonly files: readonly { readonly name: string; readonly svg: string; readonly dot: string }[] }
  | { readonly ok: false; readonly message: string };

type Drawn = { readonly picture: StepPicture; readonly svg: string | null };

function draw(r: GraphRenderer, p: StepPicture): Drawn | string {
  if (p.dot === null) return { picture: p, svg: null };
  const svg = r.svg(p.dot);
  return svg.ok ? { picture: p, svg: svg.svg } : `Graphviz could not draw step ${p.step}: ${svg.message}`;
}

export async function showInput(input: Input, opts: ShowOptions, renderer: GraphRenderer): Promise<Shown> {
  const variant = input.kind === 'fixture' && opts.target === 'impl' ? input.fixture.expect.reproduces : PLAIN;
  const traced = await traceScenario(input.scenario, { target: opts.target, variant, ...(opts.qemu === undefined ? {} : { qemu: opts.qemu }) });
  if (!traced.ok) return { ok: false, message: `${input.name}: ${traced.error.message}` };
  const trace = traced.trace;
  const findingRef = input.kind === 'fixture' ? { step: input.fixture.finding.step, message: input.fixture.finding.message } : undefined;
  const pics = stepPictures(trace, findingRef);
  const drawn: Drawn[] = [];
  for (const p of pics.steps) {
    const d = draw(renderer, p);
    if (typeof d === 'string') return { ok: false, message: `${input.name}: ${d}` };
    drawn.push(d);
  }
  const initial = pics.initial === null ? null : draw(renderer, pics.initial);
  if (typeof initial === 'string') return { ok: false, message: `${input.name}: ${initial}` };
  const html = pageHtml({
    title: input.name,
    ...(input.kind === 'fixture'
      ? { finding: { words: findingWords(input.fixture), message: input.fixture.finding.message, signature: input.fixture.finding.signature, step: input.fixture.finding.step } }
      : {}),
    ...(input.scenario.description === undefined ? {} : { description: input.scenario.description }),
    trace,
    initial,
    pictures: drawn,
    graphvizVersion: renderer.graphvizVersion,
  });
  const files = drawn.flatMap((d) =>
    d.svg === null || d.picture.dot === null ? [] : [{ name: `${input.name}-step-${String(d.picture.step).padStart(2, '0')}`, svg: d.svg, dot: d.picture.dot }],
  );
  return { ok: true, trace, html, files };
}
