import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffGraphs } from './diff-graphs.ts';
import { qmpDouble } from './json/qnum.ts';
import { parseBlockGraph, parseNamedNodes, type NormalizedGraph } from './normalized-graph.ts';
import { normalizeGraph } from './normalize.ts';
import type { JsonValue } from './types.ts';

// Raw x-debug-query-block-graph / query-named-block-nodes replies (QEMU 7.2 live, plus synthetic corner
// cases) with what qmprun.py's normalize() made of them.
interface Case {
  readonly source: string;
  readonly graph: JsonValue;
  readonly named: JsonValue;
  readonly expected: NormalizedGraph;
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/normalize-cases.json', import.meta.url), 'utf8')) as Case[];

function normalize(c: Case): NormalizedGraph {
  const g = parseBlockGraph(c.graph);
  const n = parseNamedNodes(c.named);
  if (!g.ok || !n.ok) throw new Error(`${c.source}: fixture does not parse`);
  return normalizeGraph(g.value, n.value);
}

describe('normalizeGraph', () => {
  it.each(cases.map((c) => [c.source, c] as const))('matches qmprun.py byte for byte: %s', (_name, c) => {
    // text comparison so key order counts too
    expect(JSON.stringify(normalize(c))).toBe(JSON.stringify(c.expected));
  });

  it('names automatic nodes by path and anonymous backends after their children', () => {
    const names = cases.flatMap((c) => c.expected.nodes.map((n) => n.name));
    expect(names).toContain('job:j/main node');
    expect(names).toContain('bb(x)#2');
    expect(names).toContain('node(leaf)');
    expect(names).toContain('?#block2');
  });
});

describe('parseBlockGraph', () => {
  it('rejects an edge to a node that is not listed', () => {
    const r = parseBlockGraph({ nodes: [{ id: 1, type: 'block-driver', name: 'a' }], edges: [{ parent: 1, child: 2, name: 'file', perm: [], 'shared-perm': [] }] });
    expect(r).toEqual({ ok: false, message: 'x-debug-query-block-graph: edges[0]: unknown node id' });
  });

  it('takes a double for a number, not for an object', () => {
    const r = parseBlockGraph({ nodes: [qmpDouble(1)], edges: [] });
    expect(r).toEqual({ ok: false, message: 'x-debug-query-block-graph: nodes[0]: expected an object' });
  });

  it('rejects an unknown node type', () => {
    const r = parseBlockGraph({ nodes: [{ id: 1, type: 'block-export', name: 'a' }], edges: [] });
    expect(r.ok).toBe(false);
  });
});

describe('diffGraphs', () => {
  const base: NormalizedGraph = {
    nodes: [
      { name: 'top', type: 'block-driver', drv: 'qcow2', ro: false },
      { name: 'top-file', type: 'block-driver', drv: 'file', ro: false },
    ],
    edges: [{ parent: 'top', name: 'file', child: 'top-file', perm: ['consistent-read'], 'shared-perm': ['consistent-read'] }],
  };

  it('is empty for equal graphs', () => {
    expect(diffGraphs(base, base)).toEqual([]);
  });

  it('lists node and edge changes', () => {
    const other: NormalizedGraph = {
      nodes: [
        { name: 'job:j', type: 'block-job' },
        { name: 'top', type: 'block-driver', drv: 'qcow2', ro: true },
        { name: 'top-file', type: 'block-driver', drv: 'file', ro: false },
      ],
      edges: [
        { parent: 'job:j', name: 'main node', child: 'top', perm: [], 'shared-perm': [] },
        { parent: 'top', name: 'file', child: 'top-file', perm: ['consistent-read', 'write'], 'shared-perm': ['consistent-read'] },
      ],
    };
    expect(diffGraphs(base, other)).toEqual([
      'node added: job:j (block-job)',
      'node changed: top (qcow2, rw) -> top (qcow2, ro)',
      'edge added: job:j -main node-> top perm [] shared []',
      'perm changed: top -file-> top-file: [consistent-read] -> [consistent-read,write]',
    ]);
  });
});
