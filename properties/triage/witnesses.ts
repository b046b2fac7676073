// A finding the impl makes from its insides predicts what a build will do later; a witness is the commands that
// make the prediction happen, so a build can show it too. An impl-only check without one is not observable.
import type { CrashSite } from '../../qmp/crash.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { GraphSnapshot } from '../snapshot.ts';

export interface Witness {
  /** What the commands do, for reports. */
  readonly what: string;
  readonly commands: (view: GraphSnapshot) => readonly QmpCommand[];
  /** How a build that has the defect dies at one of them. */
  readonly dies: CrashSite['kind'];
}

export const WITNESSES: Readonly<Record<string, Witness>> = {
  // mirror_exit_common drops mirror_top with &error_abort: cancelling the job drops it (0010's job-filter-drop).
  // Oldest first: a later job may be what its drop conflicts with, and cancelling that first hides it (0066, 0067).
  'mirror-top-drop-never-fails': {
    what: 'cancel every job, oldest first, which drops its mirror_top',
    commands: (view) => [...view.jobs].reverse().map((j) => ({ execute: 'job-cancel', arguments: { id: j.id } })),
    dies: 'error-abort',
  },
};
