// The graph now, read as qmprun.py reads it after a step: x-debug-query-block-graph, then query-named-block-nodes.
import { parseBlockGraph, parseNamedNodes, type NormalizedGraph, type RawBlockGraph } from './normalized-graph.ts';
import { normalizeGraph } from './normalize.ts';
import { isPeerLost } from './types.ts';
import type { JsonValue, PeerLost, QmpEndpoint } from './types.ts';

export type GraphRead =
  | {
      readonly kind: 'graph';
      readonly raw: RawBlockGraph;
      /** What query-named-block-nodes returned (undefined when it was refused). */
      readonly named: JsonValue | undefined;
      readonly normalized: NormalizedGraph;
    }
  | { readonly kind: 'lost'; readonly lost: PeerLost }
  | { readonly kind: 'bad'; readonly message: string };

export async function queryGraph(endpoint: QmpEndpoint): Promise<GraphRead> {
  const g = await endpoint.execute({ execute: 'x-debug-query-block-graph' });
  if (isPeerLost(g)) return { kind: 'lost', lost: g.lost };
  if (!('return' in g)) return { kind: 'bad', message: `x-debug-query-block-graph failed: ${g.error.desc}` };
  const raw = parseBlockGraph(g.return);
  if (!raw.ok) return { kind: 'bad', message: raw.message };
  const n = await endpoint.execute({ execute: 'query-named-block-nodes', arguments: { flat: true } });
  if (isPeerLost(n)) return { kind: 'lost', lost: n.lost };
  const named = 'return' in n ? n.return : undefined;
  const parsed = parseNamedNodes(named);
  if (!parsed.ok) return { kind: 'bad', message: parsed.message };
  return { kind: 'graph', raw: raw.value, named, normalized: normalizeGraph(raw.value, parsed.value) };
}
