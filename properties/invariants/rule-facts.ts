// What the perm rules read of an impl node (model/perm-rules.ts NodeFacts), from its snapshot: its option lists and
// rewrite-corrupted, and mirror_top's mode from the job's node state. The one place node state meets the rules.
import { optionFacts } from '../../model/perm-rules.ts';
import type { NodeFacts } from '../../model/perm-rules.ts';
import type { SnapNode } from '../snapshot.ts';

export function ruleFacts(n: SnapNode): NodeFacts {
  const mode = n.state['stop'] === true ? 'stopping' : n.state['isCommit'] === true ? 'commit' : undefined;
  return { ...optionFacts(n.options), ...(mode === undefined ? {} : { mirrorMode: mode }) };
}
