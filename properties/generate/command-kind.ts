// A command kind: one way to make a QMP command from the current graph. New kinds (block jobs) plug in as one file.
import type fc from 'fast-check';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { GraphSnapshot } from '../snapshot.ts';

/** What a generator may look at: the impl's graph after the last step and the run's images. */
export interface GenState {
  readonly snapshot: GraphSnapshot;
  readonly images: readonly ImageSpec[];
  /**
   * Automatic node names (`#blockNNN`, as query-named-block-nodes lists them) may go into commands: the impl runs
   * alone and named the nodes itself. Not beside the model or QEMU, which number them otherwise.
   */
  readonly autoNames?: boolean;
  /** The run's previous command, if any (an observation may follow up on what the last one observed). */
  readonly last?: QmpCommand;
}

export interface CommandKind {
  /** Stable name used for swarm selection and statistics, e.g. `blockdev-add:qcow2`. */
  readonly kind: string;
  /** Relative frequency among the enabled, applicable kinds. */
  readonly weight: number;
  /** The frequency in this state when it depends on it (job verbs), else `weight`. */
  weightIn?(s: GenState): number;
  applicable(s: GenState): boolean;
  /** Mostly valid commands for this state, sometimes slightly invalid ones. */
  generate(s: GenState): fc.Arbitrary<QmpCommand>;
}
