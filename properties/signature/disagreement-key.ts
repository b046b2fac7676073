// What a disagreement with the model is about: which side failed, which error codes, or which kinds of graph change.
import type { StepOutcome } from '../run/outcome.ts';

/** `impl-ok-model-error`, `codes:perm-conflict-vs-invalid-param`, `graph:node-changed(ro)+perm-changed`. */
export function disagreementKey(impl: StepOutcome, model: StepOutcome, graphDiff: readonly string[]): string {
  if (impl.kind !== model.kind) return `impl-${impl.kind}-model-${model.kind}`;
  if (impl.kind === 'error' && model.kind === 'error' && impl.code !== model.code) return `codes:${String(impl.code)}-vs-${String(model.code)}`;
  if (impl.kind === 'exception') return 'exception';
  const kinds = graphDiff.map((line) => {
    const label = line.split(':')[0] ?? line;
    // a node that changed only its read-only flag is the commonest graph disagreement: say so
    const flip = /\((\S+), (ro|rw|ro\?)\) -> .*\(\1, (ro|rw|ro\?)\)$/.exec(line);
    return flip && flip[2] !== flip[3] ? `${label.replace(/ /g, '-')}(${flip[2] ?? ''}>${flip[3] ?? ''})` : label.replace(/ /g, '-');
  });
  return kinds.length > 0 ? `graph:${[...new Set(kinds)].sort().join('+')}` : 'graph-gone';
}
