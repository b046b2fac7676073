// blockdev-reopen must restate a node's options (keep_old_opts = false): rebuild them from the snapshot.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { GraphSnapshot, SnapNode } from '../snapshot.ts';
import { isIndexedChild } from '../../qmp/child-name.ts';

/** The node's recorded options plus its children: implicit ones as nested dicts, the others by name. */
export function restateOptions(g: GraphSnapshot, n: SnapNode, depth = 0): JsonObject {
  const out: Record<string, JsonValue> = { ...n.options };
  const kids = g.edges.filter((e) => e.parent.kind === 'node' && e.parent.id === n.id);
  const quorumChildren: JsonValue[] = [];
  for (const e of kids) {
    const child = g.nodes.find((c) => c.id === e.childId);
    if (!child) continue;
    // an automatic name differs in QEMU (random suffix): restate such a child, owned or not, never name it
    const value: JsonValue = child.autoNamed && depth < 4 ? restateOptions(g, child, depth + 1) : child.name;
    if (isIndexedChild(e.name)) quorumChildren.push(value);
    else out[e.name] = value;
  }
  if (quorumChildren.length > 0) out['children'] = quorumChildren;
  // no backing child: say so, or the header's backing file makes the reopen fail
  if (n.supportsBacking && !('backing' in out)) out['backing'] = null;
  return out;
}
