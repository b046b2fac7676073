// Expands one state: every command the universe offers there, each run from the state and judged exactly as
// `fuzz` judges a step (CheckSession), with the fingerprint of the state it leads to.
import type { QmpCommand } from '../../qmp/types.ts';
import { CheckSession } from '../run/check-session.ts';
import type { ModelState } from '../../model/index.ts';
import type { Finding } from '../run/finding.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { Variant } from '../run/target.ts';
import { universeCommands } from './expand-template.ts';
import { Fingerprinter } from './fingerprint.ts';
import type { Universe } from './universe.ts';

export type CheckMode = 'model' | 'none';

export interface ExploreJob {
  readonly universe: Universe;
  readonly variant: Variant;
  readonly check: CheckMode;
}

/** A state of the search, as the commands that reach it from the empty graph. */
export interface FrontierState {
  readonly path: readonly QmpCommand[];
  /** The model comparison stopped on the way (a known QEMU 7.2 defect): from here on invariants alone judge. */
  readonly parted: boolean;
}

export interface Transition {
  readonly kind: string;
  readonly command: QmpCommand;
  readonly outcome: StepOutcome['kind'];
  readonly finding?: Finding;
  /** The known 7.2 defect that parted the model here. */
  readonly explained?: string;
  /** The state reached; none where a finding ends the sequence, as it ends a fuzz run. */
  readonly child?: { readonly fingerprint: string; readonly parted: boolean };
}

export type Expansion = { readonly ok: true; readonly transitions: readonly Transition[] } | { readonly ok: false; readonly message: string };

interface Positioned {
  readonly session: CheckSession;
  readonly impl: ImplTarget;
  readonly model: ModelTarget | undefined;
}

export class Expander {
  private readonly fingerprints: Fingerprinter;

  constructor(private readonly job: ExploreJob) {
    this.fingerprints = new Fingerprinter(job.universe.nodeNames, job.universe.symmetric);
  }

  /** A session standing at `state`: its prefix replayed unjudged (measured cheaper than copying the impl). */
  private async at(state: FrontierState, model?: ModelState): Promise<Positioned | string> {
    const impl = new ImplTarget();
    const check = this.job.check === 'model' ? new ModelTarget() : undefined;
    const opened = await CheckSession.open(this.job.universe.images, { variant: this.job.variant, graphs: false, target: () => impl, ...(check ? { check } : {}) });
    if (!opened.ok) return opened.error.message;
    await opened.session.fastForward(state.path, state.parted, model);
    return { session: opened.session, impl, model: check };
  }

  /** The fingerprint of the state itself (the empty graph's, to start the search with). */
  async fingerprint(state: FrontierState): Promise<string | { readonly error: string }> {
    const p = await this.at(state);
    if (typeof p === 'string') return { error: p };
    const fp = this.fingerprints.fingerprint(p.impl.env, state.parted);
    await p.session.close();
    return fp;
  }

  async expand(state: FrontierState): Promise<Expansion> {
    const first = await this.at(state);
    if (typeof first === 'string') return { ok: false, message: first };
    const commands = universeCommands(this.job.universe, { snapshot: first.session.snapshot, images: this.job.universe.images });
    // the model's state at the parent, replayed once: each child starts from it
    const model = state.parted ? undefined : first.model?.state;
    const transitions: Transition[] = [];
    for (const [i, c] of commands.entries()) {
      const p = i === 0 ? first : await this.at(state, model);
      if (typeof p === 'string') return { ok: false, message: p };
      try {
        const r = await p.session.step(c.command);
        // a known 7.2 defect or a step the model does not judge: the model stops judging below here
        const parted = state.parted || r.explained !== undefined || r.unjudged !== undefined;
        transitions.push({
          kind: c.kind,
          command: c.command,
          outcome: r.outcome.kind,
          ...(r.finding ? { finding: r.finding } : {}),
          ...(r.explained !== undefined ? { explained: r.explained } : {}),
          ...(r.finding ? {} : { child: { fingerprint: this.fingerprints.fingerprint(p.impl.env, parted), parted } }),
        });
      } finally {
        await p.session.close();
      }
    }
    if (commands.length === 0) await first.session.close();
    return { ok: true, transitions };
  }
}
