// What a disagreement with the model is about: what the impl did against what the model allows, or which kinds of
// graph change (compare/compare-step.ts's `why`, `sides` and graph diff).
import type { StepOutcome } from '../run/outcome.ts';

const form = (o: StepOutcome): string => (o.kind === 'error' ? `error[${String(o.code)}]` : o.kind);

/** The model's allowed outcomes from `sides` (`model: ok or error: … [code]`), as `ok+error[code]`. */
function modelForms(sides: string): string {
  const line = sides.split('\n').find((l) => l.startsWith('model: ')) ?? '';
  const forms = line.slice('model: '.length).split(' or ').map((a) => (a === 'ok' ? 'ok' : `error[${/\[([^\]]*)\]$/.exec(a)?.[1] ?? '?'}]`));
  return [...new Set(forms)].sort().join('+');
}

/** `impl-error[generic]-model-ok`, `graph:node-changed(ro>rw)+perm-changed`, `graph-gone`. */
export function disagreementKey(impl: StepOutcome, why: string, sides: string, graphDiff: readonly string[]): string {
  if (why.startsWith('one side')) return `impl-${form(impl)}-model-${modelForms(sides)}`;
  const kinds = graphDiff.map((line) => {
    const label = line.split(':')[0] ?? line;
    // a node that changed only its read-only flag is the commonest graph disagreement: say so
    const flip = /\((\S+), (ro|rw|ro\?)\) -> .*\(\1, (ro|rw|ro\?)\)$/.exec(line);
    return flip && flip[2] !== flip[3] ? `${label.replace(/ /g, '-')}(${flip[2] ?? ''}>${flip[3] ?? ''})` : label.replace(/ /g, '-');
  });
  return kinds.length > 0 ? `graph:${[...new Set(kinds)].sort().join('+')}` : 'graph-gone';
}
