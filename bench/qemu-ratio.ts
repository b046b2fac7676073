// The impl's steps/s against QEMU 7.2's on the same sequences: each replayed on the impl (invariants and model, the
// default fuzz configuration) and on a fresh qemu-storage-daemon (the invariants on its QMP view).
import type { Scenario } from '../qmp/scenario.ts';
import { chooseBuild, describeIdentity } from '../qemu/identity.ts';
import { observedFor } from '../properties/invariants/for-build.ts';
import { buildTarget } from '../properties/observe/targets.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import { checkScenario } from '../properties/run/run-scenario.ts';
import type { SessionOptions } from '../properties/run/check-session.ts';
import { PLAIN } from '../properties/run/target.ts';
import { sampleSequences } from './sample-sequences.ts';
import { ToolHost } from '../qemu/tool-host.ts';

export type QemuRatio =
  | { readonly kind: 'measured'; readonly build: string; readonly sequences: number; readonly impl: Rate; readonly qemu: Rate; readonly ratio: number }
  | { readonly kind: 'skipped'; readonly why: string };

export interface Rate {
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
}

async function rate(sample: readonly Scenario[], opts: () => SessionOptions): Promise<Rate> {
  let steps = 0;
  const t0 = performance.now();
  for (const s of sample) {
    const v = await checkScenario(s, opts());
    if (v.kind === 'cannot-run') throw new Error(v.message);
    // a sequence ends at its first finding on either side
    steps += v.kind === 'passes' ? v.steps : v.finding.step + 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { steps, seconds: Math.round(seconds * 10) / 10, stepsPerSecond: Math.round(steps / seconds) };
}

/** `qemu`: the bin directory of QEMU 7.2 (default /usr/bin). Skipped, saying why, where it is not installed. */
export async function qemuRatio(seed: number, n: number, qemu = '/usr/bin'): Promise<QemuRatio> {
  if (n <= 0) return { kind: 'skipped', why: 'no sample asked for' };
  const probed = await chooseBuild(qemu);
  if (!probed.ok) return { kind: 'skipped', why: probed.message };
  const p = probed.probed;
  if (!p.identity.version.startsWith('7.2')) return { kind: 'skipped', why: `${describeIdentity(p.identity)} is not QEMU 7.2` };
  const sample = await sampleSequences(seed, n);
  const impl = await rate(sample, () => ({ variant: PLAIN, graphs: false, check: new ModelTarget() }));
  const host = new ToolHost();
  const onQemu = await rate(sample, () => ({ variant: PLAIN, graphs: false, target: () => buildTarget(p, { host }), invariants: observedFor(p.identity.version) })).finally(() => host.close());
  return { kind: 'measured', build: describeIdentity(p.identity), sequences: sample.length, impl, qemu: onQemu, ratio: Math.round((10 * impl.stepsPerSecond) / Math.max(1, onQemu.stepsPerSecond)) / 10 };
}
