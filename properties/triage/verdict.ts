// One fixture on one build: `reproduces` (the same crash site, hang or check at the finding's step), `fixed` (clean
// through that step), `differs` (something else, or earlier: which step, what), or `unobservable`.
import type { BuildVerdictKind } from '../fixtures/fixture.ts';
import type { Finding } from '../run/finding.ts';
import { describeShows, showsOf } from './expected.ts';
import type { Expected, Shows } from './expected.ts';
import type { BuildRun } from './run-on-build.ts';

export type BuildVerdict =
  | { readonly kind: 'reproduces'; readonly step: number; readonly detail: string }
  | { readonly kind: 'fixed'; readonly step: number; readonly detail: string }
  | { readonly kind: 'differs'; readonly step: number; readonly detail: string }
  | { readonly kind: 'unobservable'; readonly detail: string }
  | { readonly kind: 'cannot-run'; readonly detail: string };

/** The verdicts an expectation can record (a run that could not start records nothing). */
export function recordable(v: BuildVerdict): BuildVerdictKind | undefined {
  return v.kind === 'cannot-run' ? undefined : v.kind;
}

function same(a: Shows, b: Shows, f: Finding): boolean {
  switch (a.kind) {
    case 'crash':
      // a segfault names no site: corrupted memory may die anywhere in that step (0063 on 10.0.2: either way)
      return b.kind === 'crash' && (a.site === b.site || a.site === 'segfault');
    case 'crash-kind':
      return b.kind === 'crash' && f.crash?.site.kind === a.site;
    case 'hang':
      return b.kind === 'hang';
    case 'check':
      return b.kind === 'check' && a.check === b.check;
  }
}

/** What a finding is, in a table cell. */
export function describeFinding(f: Finding): string {
  const shows = showsOf(f);
  const first = f.message.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const text = shows.kind === 'check' ? `${f.detector}: ${first}` : describeShows(shows);
  return `${f.execute}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
}

export function verdictOf(x: Expected, run: BuildRun): BuildVerdict {
  if (x.kind === 'unobservable') return { kind: 'unobservable', detail: x.why };
  switch (run.kind) {
    case 'cannot-run':
      return { kind: 'cannot-run', detail: run.message };
    case 'clean':
      return { kind: 'fixed', step: x.step, detail: `clean through step ${run.through} (${run.last})` };
    case 'apart':
      return { kind: 'differs', step: run.step, detail: `step ${run.step}: ${run.why}` };
    case 'sides': {
      const at = `step ${run.step}: ${run.detail}`;
      // like the impl (7.2, or the historical bug) and not like the model: it has the defect
      if (run.likeImpl && !run.likeModel) return { kind: 'reproduces', step: run.step, detail: at };
      if (run.likeModel) return { kind: 'fixed', step: run.step, detail: `step ${run.step}: as the model says` };
      return { kind: 'differs', step: run.step, detail: at };
    }
    case 'finding': {
      const f = run.finding;
      const at = `step ${f.step}: ${describeFinding(f)}`;
      if (x.kind === 'apart-from-model') return { kind: 'differs', step: f.step, detail: at };
      // a job's crash races its reply: one step early counts, for a crash; at a witness's job-cancel, one step late
      const late = x.shows.kind === 'crash-kind' && f.step === x.step + 1;
      const near = f.step === x.step || (x.shows.kind === 'crash' && f.step === x.step - 1) || late;
      return near && same(x.shows, showsOf(f), f) ? { kind: 'reproduces', step: f.step, detail: at } : { kind: 'differs', step: f.step, detail: at };
    }
  }
}
