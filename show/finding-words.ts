// A fixture's finding in one sentence a block-layer developer reads first (plain text; callers escape it).
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { DISAGREEMENT, IMPL_EXCEPTION, KNOWN_72_DEFECT, QEMU_ABORT, QEMU_HANG } from '../properties/run/finding.ts';

const STATUS: Readonly<Record<Fixture['status'], string>> = {
  'qemu-defect': 'QEMU 7.2 does the same (a QEMU defect the impl copies on purpose)',
  quirk: 'shows only with a historical bug switched on; QEMU must not show it',
  new: 'not triaged yet',
  unshrunk: 'stored as found: the campaign stopped before shrinking it',
};

export function findingWords(f: Fixture): string {
  const { detector, step } = f.finding;
  const cmd = f.scenario.commands[step]?.execute ?? '?';
  const at = `step ${step} (${cmd})`;
  const what = (() => {
    switch (detector) {
      case QEMU_ABORT:
        return `The daemon dies at ${at}.`;
      case QEMU_HANG:
        return `The daemon hangs at ${at}: it answers nothing more.`;
      case IMPL_EXCEPTION:
        return `The impl threw at ${at}: a bug in the checker's QEMU emulation, not in QEMU.`;
      case DISAGREEMENT:
        return `At ${at} the impl (QEMU 7.2 as observed) and the ${f.finding.against ?? 'model'} disagree.`;
      case KNOWN_72_DEFECT:
        return `At ${at} the reference model does something else, and explains the difference as a known QEMU 7.2 defect.`;
      default:
        return `After ${at} the invariant ${detector} does not hold.`;
    }
  })();
  return `${what} Status ${f.status}: ${STATUS[f.status]}.`;
}
