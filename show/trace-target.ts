// Replays a scenario on the impl (in-process, with a fixture's quirks/fixes) or on a real qemu-storage-daemon.
import { parseBehaviour } from '../impl/behaviour.ts';
import { ImplEndpoint } from '../impl/impl-endpoint.ts';
import { MemoryImageStore } from '../impl/images/memory.ts';
import { openQemuTarget } from '../qemu/target.ts';
import { checkScenarioForQemu, describeUnsafe } from '../qemu/sandbox/check-scenario.ts';
import type { Scenario } from '../qmp/scenario.ts';
import { isPeerLost } from '../qmp/types.ts';
import type { QmpEndpoint } from '../qmp/types.ts';
import { collectSteps } from './collect-trace.ts';
import { resolveQemuBuild } from './qemu-build.ts';
import type { StepTrace, TargetLabel } from './step-trace.ts';
import { variantText, type Variant } from '../properties/run/target.ts';
import { isObjectValue } from '../qmp/json-value.ts';

export interface TraceOptions {
  readonly target: TargetLabel;
  /** Impl only: the quirks/fixes to switch (a fixture's `expect.reproduces`). */
  readonly variant: Variant;
  /** QEMU only: `--qemu PATH` (undefined: qemu-storage-daemon on PATH). */
  readonly qemu?: string;
}

export type TraceResult =
  | { readonly ok: true; readonly trace: StepTrace }
  | { readonly ok: false; readonly error: { readonly code: 'bad-variant' | 'bad-qemu' | 'qemu-start-failed' | 'unsafe'; readonly message: string } };

async function qemuVersion(endpoint: QmpEndpoint): Promise<string> {
  const r = await endpoint.execute({ execute: 'query-version' });
  const v = !isPeerLost(r) && 'return' in r ? r.return : undefined;
  const q = isObjectValue(v) ? v['qemu'] : undefined;
  if (!isObjectValue(v) || !isObjectValue(q)) return 'QEMU (version unknown)';
  const pkg = typeof v['package'] === 'string' ? v['package'].trim() : '';
  return `QEMU ${String(q['major'])}.${String(q['minor'])}.${String(q['micro'])}${pkg === '' ? '' : ` ${pkg}`}`;
}

export async function traceScenario(scenario: Scenario, opts: TraceOptions): Promise<TraceResult> {
  switch (opts.target) {
    case 'impl': {
      const behaviour = parseBehaviour(opts.variant.quirks, opts.variant.fixes);
      if (!behaviour.ok) return { ok: false, error: { code: 'bad-variant', message: `the impl has no ${behaviour.message}` } };
      const endpoint = new ImplEndpoint(MemoryImageStore.fromSpecs(scenario.images), behaviour.value);
      const collected = await collectSteps(endpoint, scenario.commands);
      return { ok: true, trace: { target: 'impl', targetText: `impl (QEMU 7.2 as observed; ${variantText(opts.variant)})`, ...collected } };
    }
    case 'qemu': {
      // the sandbox's argument check first: an unsafe scenario is named and never run
      const safe = checkScenarioForQemu(scenario);
      if (!safe.ok) return { ok: false, error: { code: 'unsafe', message: describeUnsafe('scenario', safe, '') } };
      const build = resolveQemuBuild(opts.qemu);
      if (!build.ok) return { ok: false, error: { code: 'bad-qemu', message: build.message } };
      const opened = await openQemuTarget(scenario.images, { argv: build.daemonArgv, timeoutMs: 30_000 });
      if (!opened.ok) return { ok: false, error: { code: 'qemu-start-failed', message: opened.error.message } };
      const { endpoint } = opened.target;
      try {
        const targetText = `${build.daemon}: ${await qemuVersion(endpoint)}`;
        const collected = await collectSteps(endpoint, scenario.commands);
        return { ok: true, trace: { target: 'qemu', targetText, ...collected } };
      } finally {
        await endpoint.close();
      }
    }
  }
}
