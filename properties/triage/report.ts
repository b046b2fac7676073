// How `bgcheck triage` prints its verdicts: a terminal table with details below, Markdown (the README's table), JSON.
import type { TriageCell, TriageRow } from './triage.ts';

/** The verdict word, with the recorded one when it differs. */
function word(c: TriageCell): string {
  const kind = c.verdict.kind;
  return c.matches ? kind : `${kind} (recorded for ${c.recorded?.version ?? '?'}: ${c.recorded?.verdict ?? 'nothing'})`;
}

function builds(rows: readonly TriageRow[]): string[] {
  return rows[0]?.cells.map((c) => c.label) ?? [];
}

export function textReport(rows: readonly TriageRow[]): string[] {
  const heads = ['fixture', ...builds(rows)];
  const table = rows.map((r) => [r.fixture.name, ...r.cells.map(word)]);
  const widths = heads.map((h, i) => Math.max(h.length, ...table.map((t) => (t[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const details = rows.flatMap((r) => r.cells.filter((c) => c.verdict.kind !== 'reproduces' || !c.matches).map((c) => `  ${r.fixture.name} on ${c.label !== c.build ? c.label : c.version}: ${c.verdict.kind}: ${c.verdict.detail}`));
  const mismatches = rows.flatMap((r) => r.cells).filter((c) => !c.matches).length;
  const count = (k: string): number => rows.flatMap((r) => r.cells).filter((c) => c.verdict.kind === k).length;
  return [
    line(heads),
    ...table.map(line),
    ...(details.length > 0 ? ['', 'details:', ...details] : []),
    '',
    `${rows.length} fixtures on ${heads.length - 1} build(s): ${count('reproduces')} reproduce, ${count('fixed')} fixed, ${count('differs')} differ, ${count('unobservable')} unobservable, ${count('cannot-run')} could not run; ${mismatches === 0 ? 'every verdict is as recorded' : `${mismatches} not as recorded`}`,
  ];
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(rows: readonly TriageRow[]): string[] {
  const heads = ['fixture', 'status', 'finding', ...builds(rows)];
  return [
    `| ${heads.join(' | ')} |`,
    `|${heads.map(() => '---').join('|')}|`,
    ...rows.map((r) => {
      const v = r.cells.map((c) => cell(c.verdict.kind === 'reproduces' ? `${word(c)}` : `${word(c)}: ${c.verdict.detail}`));
      return `| ${[r.fixture.name, r.fixture.status, `\`${r.fixture.finding.signature}\``, ...v].map(cell).join(' | ')} |`;
    }),
  ];
}

export function jsonReport(rows: readonly TriageRow[]): unknown {
  return {
    builds: rows[0]?.cells.map((c) => ({ version: c.version, build: c.build, label: c.label })) ?? [],
    fixtures: rows.map((r) => ({
      fixture: r.fixture.name,
      status: r.fixture.status,
      signature: r.fixture.finding.signature,
      step: r.fixture.finding.step,
      verdicts: r.cells.map((c) => ({ version: c.version, ...c.verdict, recorded: c.recorded ?? null, matches: c.matches })),
    })),
  };
}
