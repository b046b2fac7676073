// Sequences exactly as `bgcheck fuzz` draws them (seed S, runs 0..n-1), recorded from the target's side: what the
// bench replays on the impl and on QEMU 7.2 to compare their speed on the same commands.
import type { ImageSpec } from '../impl/images/image-store.ts';
import type { Scenario } from '../qmp/scenario.ts';
import type { QmpCommand } from '../qmp/types.ts';
import { fuzzRun } from '../properties/fuzz/fuzz-run.ts';
import { RunStats } from '../properties/fuzz/run-stats.ts';
import { runSeed } from '../properties/fuzz/seeds.ts';
import { ImplTarget } from '../properties/run/impl-target.ts';
import type { Observation } from '../properties/run/observation.ts';
import type { DiagnoseInput, Diagnosis, StartResult, Target, Variant } from '../properties/run/target.ts';
import { PLAIN } from '../properties/run/target.ts';

/** The impl, writing down what it was given. */
class Recorder implements Target {
  readonly name = 'impl';
  private readonly impl = new ImplTarget();
  private images: readonly ImageSpec[] = [];
  private readonly commands: QmpCommand[] = [];

  constructor(private readonly done: (s: Scenario) => void) {}

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    this.images = images;
    return this.impl.start(images, variant);
  }

  step(cmd: QmpCommand): Promise<Observation> {
    this.commands.push(cmd);
    return this.impl.step(cmd);
  }

  diagnose(input: DiagnoseInput): Diagnosis {
    return this.impl.diagnose(input);
  }

  close(): Promise<void> {
    this.done({ images: this.images, commands: [...this.commands] });
    return this.impl.close();
  }
}

/** The first `n` sequences of campaign `seed` (invariants only, every finding known: nothing shrinks). */
export async function sampleSequences(seed: number, n: number, maxSteps = 40): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (let run = 0; run < n; run++) {
    let first: Scenario | undefined;
    const target = (): Target => new Recorder((s) => void (first ??= s));
    await fuzzRun(runSeed(seed, run), { variant: PLAIN, target, check: undefined, maxSteps, isKnown: () => true, shrinkLimitMs: 60_000 }, new RunStats());
    if (first) out.push(first);
  }
  return out;
}
