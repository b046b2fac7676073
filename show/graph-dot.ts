// A step's graph as Graphviz DOT: node ids are indexes (`n3`), every fixture text is in an escaped HTML-like label.
import { match } from 'ts-pattern';
import type { Change, GraphView, ViewKind, ViewNode } from './graph-view.ts';
import { escapeHtml } from './text-escape.ts';

interface Look {
  readonly shape: string;
  readonly fill: string;
  readonly style: string;
}

const lookOf = (kind: ViewKind): Look =>
  match(kind)
    .with('format', () => ({ shape: 'box', fill: '#dbe9f6', style: 'rounded,filled' }))
    .with('filter', () => ({ shape: 'box', fill: '#fff4c2', style: 'rounded,filled' }))
    .with('protocol', () => ({ shape: 'box', fill: '#e6e6e6', style: 'filled' }))
    .with('other', () => ({ shape: 'box', fill: '#ffffff', style: 'rounded,filled' }))
    // parents that are not nodes: BlockBackends (exports, devices, job-internal) and jobs
    .with('backend', () => ({ shape: 'cds', fill: '#e8dcf4', style: 'filled' }))
    .with('job', () => ({ shape: 'hexagon', fill: '#d7f0dc', style: 'filled' }))
    .exhaustive();

/** Outline: the finding's marks win over changes; new and changed since the step before are highlighted. */
const outline = (change: Change, marked: boolean): { color: string; penwidth: number } =>
  marked
    ? { color: '#d1242f', penwidth: 3.5 }
    : match(change)
        .with('new', () => ({ color: '#1a7f37', penwidth: 2.5 }))
        .with('changed', () => ({ color: '#bc4c00', penwidth: 2.5 }))
        .with('same', () => ({ color: '#57606a', penwidth: 1 }))
        .exhaustive();

const classes = (base: string, change: Change, marked: boolean, extra: readonly string[]): string =>
  [base, ...extra, ...(change === 'same' ? [] : [`bg-${change}`]), ...(marked ? ['bg-marked'] : [])].join(' ');

/** DOT attribute values used here are generated (ids, classes, colours): quoting them is enough. */
const attr = (k: string, v: string | number): string => `${k}="${String(v).replace(/["\\]/g, '')}"`;

function nodeLine(n: ViewNode, index: number, graphId: string): string {
  const look = lookOf(n.kind);
  const line = outline(n.change, n.marked);
  const rows = [`<B>${escapeHtml(n.name)}</B>`, ...n.details.map((d) => `<FONT POINT-SIZE="10">${escapeHtml(d)}</FONT>`)];
  const style = n.readOnly ? `${look.style},dashed` : look.style;
  const attrs = [
    attr('id', n.id),
    attr('class', classes('bg-node', n.change, n.marked, [`bg-${n.kind}`, ...(n.readOnly ? ['bg-ro'] : [])])),
    attr('shape', look.shape),
    attr('style', style),
    attr('fillcolor', look.fill),
    attr('color', line.color),
    attr('penwidth', line.penwidth),
    `label=<${rows.join('<BR/>')}>`,
  ];
  return `  ${graphId}n${index} [${attrs.join(', ')}];`;
}

/** `graphId` prefixes node ids so several steps' pictures can share one page. */
export function graphDot(view: GraphView, title: string, graphId = ''): string {
  const index = new Map(view.nodes.map((n, i) => [n.name, i]));
  const lines = [
    'digraph blockgraph {',
    `  graph [${attr('id', graphId === '' ? 'graph' : graphId)}, rankdir=TB, nodesep=0.35, ranksep=0.55, fontname="Helvetica", label=<${escapeHtml(title)}>, labelloc=t, fontsize=12];`,
    '  node [fontname="Helvetica", fontsize=12, margin="0.12,0.06"];',
    '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.7];',
    ...view.nodes.map((n, i) => nodeLine(n, i, graphId)),
  ];
  for (const e of view.edges) {
    const line = outline(e.change, e.marked);
    const attrs = [
      attr('id', e.id),
      attr('class', classes('bg-edge', e.change, e.marked, [])),
      attr('color', line.color),
      attr('fontcolor', e.marked ? line.color : '#24292f'),
      attr('penwidth', line.penwidth),
      `label=<${escapeHtml(e.role)}<BR/><FONT FACE="monospace">${escapeHtml(e.perms)}</FONT>>`,
    ];
    lines.push(`  ${graphId}n${index.get(e.parent) ?? -1} -> ${graphId}n${index.get(e.child) ?? -1} [${attrs.join(', ')}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
