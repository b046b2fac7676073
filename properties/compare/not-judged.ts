// What the reference model does not judge: observation steps (what a node serves) have no statement in the model
// yet (the model rewrite, i16-model, states block status "from the chain" once it lands); the impl alone answers
// them, and invariants and --check qemu judge the answers.
import { isObservationName } from '../../qmp/observation.ts';
import type { QmpCommand } from '../../qmp/types.ts';

export function modelJudges(cmd: QmpCommand): boolean {
  return !isObservationName(cmd.execute);
}
