// What the perm rules read of an impl node (model/perm-rules.ts NodeFacts), from its snapshot: its option lists and
// rewrite-corrupted, and mirror_top's mode, which the job keeps in the node's state. The one place they meet.
import { optionFacts } from '../../model/perm-rules.ts';
import type { NodeFacts } from '../../model/perm-rules.ts';
import type { SnapNode } from '../snapshot.ts';

export function ruleFacts(n: SnapNode): NodeFacts {
  const s = n.state;
  const mode = 'stop' in s && s.stop === true ? 'stopping' : 'isCommit' in s && s.isCommit === true ? 'commit' : undefined;
  return { ...optionFacts(n.options), ...(mode === undefined ? {} : { mirrorMode: mode }) };
}
