// options-match-graph — semantics §4 and §5.1 I5 (block.c bdrv_open_inherit / bdrv_reopen_commit delete child keys):
// options never name children, `read-only` agrees with the flag, and nothing contradicts a backing child.
import { wireJson } from '../../qmp/json/wire-text.ts';
import type { SnapNode } from '../snapshot.ts';
import type { Invariant, Violation } from './invariant.ts';

/** Child names any driver uses (§5.1 I5); `children` is quorum's list key. */
const CHILD_KEYS = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];

/** `file`, `file.filename`, `children.0`, or the name of a current child. */
function namesChild(key: string, current: readonly string[]): boolean {
  // no split: every option key of every node of every step comes through here
  const dot = key.indexOf('.');
  const head = dot < 0 ? key : key.slice(0, dot);
  return CHILD_KEYS.includes(head) || current.includes(head);
}

function checkNode(n: SnapNode, childNames: readonly string[], backing: string | undefined): Violation[] {
  const out: Violation[] = [];
  const say = (message: string, what: string): void => void out.push({ message: `node '${n.name}': ${message}`, key: `${n.driver}:${what}` });
  for (const key of Object.keys(n.options)) {
    if (key !== 'backing' && namesChild(key, childNames)) say(`options hold child reference '${key}' = ${wireJson(n.options[key])}`, `child-ref-${key.replace(/\d+/g, 'N')}`);
  }
  const ro = n.options['read-only'];
  if (typeof ro === 'boolean' && ro !== n.readOnly) say(`option read-only=${String(ro)} but the node is ${n.readOnly ? 'read-only' : 'writable'}`, `read-only-option-${String(ro)}`);
  // 7.2 drops `backing` at every open and reopen, so any value left is stale or contradicts the child
  if ('backing' in n.options) {
    const said = wireJson(n.options['backing']);
    say(backing === undefined ? `options hold stale backing=${said}` : `has backing child '${backing}' but its options say backing=${said}`, backing === undefined ? `stale-backing-${n.options['backing'] === null ? 'null' : 'ref'}` : 'backing-option-contradicts-child');
  }
  return out;
}

export const optionsMatchGraph: Invariant = {
  kind: 'state',
  name: 'options-match-graph',
  source: 'semantics §4, §5.1 I5',
  check(g, index): Violation[] {
    return g.nodes.flatMap((n) => {
      const kids = index.childEdges(n.id);
      return checkNode(
        n,
        kids.map((e) => e.name),
        kids.find((e) => e.name === 'backing')?.child,
      );
    });
  },
};
