// One fuzz run: a fast-check property over a generated sequence, shrunk by fast-check when it finds something new.
import fc from 'fast-check';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { Sha256Memo } from '../../qmp/runs-sha256.ts';
import { imagesArb } from '../generate/images.ts';
import { KindPicker } from '../generate/next-command.ts';
import { swarmArb } from '../generate/swarm.ts';
import { CheckSession } from '../run/check-session.ts';
import type { Invariant } from '../invariants/index.ts';
import type { PhaseTimer } from '../run/check-session.ts';
import { isKnownFinding, knownAs } from '../run/finding.ts';
import type { Finding } from '../run/finding.ts';
import type { Target, Variant } from '../run/target.ts';
import type { RunStats } from './run-stats.ts';
import { breathe } from './breathe.ts';
import { situationsOf } from './reach.ts';

export interface RunConfig {
  readonly variant: Variant;
  /** Builds the system under test for each sequence (default: the impl). */
  readonly target?: () => Target;
  /** Builds the second target for each sequence (`--check model|qemu`), if any. */
  readonly check: (() => Target) | undefined;
  readonly maxSteps: number;
  /** Signatures not to report again (QEMU 7.2 defects, earlier fixtures, this campaign's). */
  readonly isKnown: (signature: string) => boolean;
  /** Stops fast-check's own shrinking after this long at the latest (a safety net; it is capped anyway). */
  readonly shrinkLimitMs: number;
  readonly timer?: PhaseTimer;
  /** Default: every invariant (tests pass doubles). */
  readonly invariants?: readonly Invariant[];
  /** Called the moment the real run finds something new, before any shrinking: the campaign stores it at once. */
  readonly onFound?: (found: { readonly finding: Finding; readonly scenario: Scenario }) => Promise<void>;
  /** True once the campaign was asked to stop (a signal): the run ends at its next step, shrinking at once. */
  readonly shouldStop?: () => boolean;
  /** Checksums by content, kept across the campaign's runs (the same images are read run after run). */
  readonly checksums?: Sha256Memo;
}

export type RunResult =
  | { readonly kind: 'clean' }
  | { readonly kind: 'finding'; readonly finding: Finding; readonly scenario: Scenario; readonly path: string }
  | { readonly kind: 'cannot-run'; readonly message: string };

const FC_SHRINK_CANDIDATES = 60;

interface Failing {
  readonly finding: Finding;
  readonly scenario: Scenario;
}

export async function fuzzRun(seed: number, cfg: RunConfig, stats: RunStats): Promise<RunResult> {
  let first = true;
  let target: string | undefined;
  let last: Failing | undefined;
  let cannotRun: string | undefined;
  // fast-check's own time limit would also cut the real run short (a QEMU hang takes --timeout): ours starts after it
  let shrinkUntil = Infinity;
  const ending = (): boolean => cfg.shouldStop?.() === true;
  // a capped number of shrink candidates keeps fast-check's part bounded and deterministic; ours does the rest
  const property = fc.asyncProperty(fc.limitShrink(fc.gen(), FC_SHRINK_CANDIDATES), async (g) => {
    // the first execution is the real run; later ones are fast-check's shrink attempts
    const counting = first;
    first = false;
    // let a signal in between sequences
    await breathe();
    // out of shrink time, or stopping: fast-check ends with the smallest failure it has
    if (!counting && (performance.now() > shrinkUntil || ending())) throw new fc.PreconditionFailure(true);
    const images: readonly ImageSpec[] = g(() => imagesArb);
    const enabled = g(() => swarmArb());
    const picker = new KindPicker(enabled);
    const length = g(() => fc.integer({ min: 1, max: cfg.maxSteps }));
    const timer = counting ? cfg.timer : undefined;
    const second = cfg.check?.();
    // automatic node names only where the impl runs alone: the model numbers them its own way, and QEMU appends two
    // random digits (util/id.c), so a fixture naming one would not replay there
    const autoNames = second === undefined && cfg.target === undefined;
    const opened = await CheckSession.open(images, {
      variant: cfg.variant,
      graphs: counting,
      ...(cfg.target ? { target: cfg.target } : {}),
      ...(second ? { check: second } : {}),
      ...(timer ? { timer } : {}),
      ...(cfg.invariants ? { invariants: cfg.invariants } : {}),
      ...(cfg.checksums ? { checksums: cfg.checksums } : {}),
    });
    if (!opened.ok) {
      cannotRun = opened.error.message;
      return true;
    }
    const session = opened.session;
    const commands: QmpCommand[] = [];
    /** True (the property holds) unless this is the run's new finding, which is stored as found at once. */
    const judged = async (f: Finding): Promise<boolean> => {
      const sig = f.signature;
      if (target === undefined && isKnownFinding(f, cfg.isKnown)) {
        if (counting) stats.countKnown(knownAs(f));
        return true;
      }
      target ??= sig;
      // a shrink attempt that shows something else (or a known defect's instance of it) is not the same failure
      if (sig !== target || f.known !== undefined) return true;
      last = { finding: f, scenario: { images, commands: [...commands] } };
      if (counting) await cfg.onFound?.(last);
      return false;
    };
    try {
      for (let i = 0; i < length; i++) {
        if (ending()) break;
        const t0 = timer ? performance.now() : 0;
        const previous = commands[commands.length - 1];
        const state = { snapshot: session.snapshot, images, autoNames, ...(previous ? { last: previous } : {}) };
        const kinds = picker.arb(state);
        if (!kinds) break;
        // two draws, so fast-check shrinks the kind and the command separately and only one generator is built
        const kind = g(() => kinds);
        const drawn = { kind: kind.kind, command: g(() => kind.generate(state)) };
        timer?.('generate', performance.now() - t0);
        commands.push(drawn.command);
        const r = await session.step(drawn.command);
        if (counting) stats.countStep(drawn.kind, r.graph);
        if (counting) stats.countReach(situationsOf(state.snapshot, session.snapshot, drawn.command, r.outcome));
        // a known 7.2 defect parted impl and model: counted, and the sequence goes on under the invariants alone
        if (r.explained !== undefined && counting) stats.countKnown(r.explained);
        if (r.unjudged !== undefined && counting) stats.countUnjudged(r.unjudged);
        if (r.finding) return judged(r.finding);
      }
      // a death after the last reply is still this sequence's
      const late = session.end();
      return late ? await judged(late) : true;
    } finally {
      await session.close();
      if (counting) shrinkUntil = performance.now() + cfg.shrinkLimitMs;
    }
  });
  const details = await fc.check(property, { seed, numRuns: 1, unbiased: true });
  stats.runs++;
  stats.endRun();
  if (cannotRun !== undefined) return { kind: 'cannot-run', message: cannotRun };
  if (!details.failed) return { kind: 'clean' };
  if (!last) {
    const e = details.errorInstance;
    return { kind: 'cannot-run', message: `the fuzzer itself failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  }
  return { kind: 'finding', finding: last.finding, scenario: last.scenario, path: details.counterexamplePath ?? '' };
}
