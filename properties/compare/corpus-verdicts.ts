// The model against what QEMU 7.2 itself printed for the conformance corpus: each recorded step's outcome and graph
// must be among those the model allows, up to a step it does not judge or a documented 7.2 defect.
import { readFileSync, readdirSync } from 'node:fs';
import { parseCrash } from '../../qmp/crash.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { StepOutcome } from '../run/outcome.ts';

const CORPUS = new URL('../../impl/conformance/', import.meta.url);
/** QMP negotiation: not a block-graph command. */
const SKIPPED = ['qmp_capabilities'];
/** Commands the model does not state (model/README.md): judging stops there. */
const UNSTATED = ['drive-mirror'];

interface Recorded {
  readonly steps: readonly { readonly ok: boolean; readonly crashed?: boolean; readonly error?: string; readonly return?: JsonValue }[];
  readonly graphs?: readonly NormalizedGraph[];
}

/** How each observation step judged fared: `agree`, or `not-judged:<why>` (a disagreement ends the scenario). */
export type CorpusVerdict = Judged & { readonly observed: readonly string[] };
type Judged =
  | { readonly kind: 'agrees'; readonly steps: number }
  /** Judged up to `step`, which the model does not judge (`why`), or which shows a known 7.2 defect. */
  | { readonly kind: 'not-judged' | 'known'; readonly step: number; readonly judged: number; readonly what: string }
  | { readonly kind: 'disagrees'; readonly step: number; readonly why: string };

/** QEMU's step as a target's outcome: its error text has no code; a crash is what it printed before dying. */
function seenOutcome(r: Recorded['steps'][number]): StepOutcome {
  if (r.crashed === true) return { kind: 'crash', crash: parseCrash((r.error ?? '').replace(/^.*?stderr: /s, '')), phase: 'command' };
  if (!r.ok) return { kind: 'error', code: null, desc: r.error ?? '' };
  return r.return === undefined ? { kind: 'ok' } : { kind: 'ok', value: r.return };
}

export async function corpusVerdict(name: string): Promise<CorpusVerdict> {
  const observed: string[] = [];
  const v = await judged(name, observed);
  return { ...v, observed };
}

async function judged(name: string, observed: string[]): Promise<Judged> {
  const read = (dir: string): unknown => JSON.parse(readFileSync(new URL(`${dir}/${name}.json`, CORPUS), 'utf8'));
  const scenario = read('scenarios') as { readonly images: readonly ImageSpec[]; readonly commands: readonly QmpCommand[] };
  const recorded = read('expected') as Recorded;
  const model = new ModelTarget();
  await model.start(scenario.images, { quirks: [], fixes: [] });
  let judged = 0;
  for (const [i, cmd] of scenario.commands.entries()) {
    const want = recorded.steps[i];
    if (want === undefined) break;
    if (SKIPPED.includes(cmd.execute)) continue;
    if (UNSTATED.includes(cmd.execute)) return { kind: 'not-judged', step: i, judged, what: `command ${cmd.execute}` };
    const v = model.compare(cmd, { outcome: seenOutcome(want), graph: recorded.graphs?.[i] ?? null });
    switch (v.kind) {
      case 'agree':
        if (v.observation) observed.push(v.observation.judged ? 'agree' : `not-judged:${v.observation.why}`);
        judged++;
        continue;
      case 'not-judged':
        return { kind: 'not-judged', step: i, judged, what: v.why };
      case 'known':
        return { kind: 'known', step: i, judged, what: v.defect.signature };
      case 'disagree':
        return { kind: 'disagrees', step: i, why: `${cmd.execute}: ${v.why}; ${v.sides.replace('\n', '; ')}; ${v.graphDiff.slice(0, 4).join('; ')}` };
    }
  }
  return { kind: 'agrees', steps: judged };
}

export const corpusNames = (): string[] =>
  readdirSync(new URL('scenarios/', CORPUS)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
