// One scenario on a fresh qemu-storage-daemon: images, commands, normalized results, cleanup.
import { runScenario, type RunOptions } from '../qmp/run-scenario.ts';
import type { Scenario } from '../qmp/scenario.ts';
import type { ScenarioResult } from '../qmp/scenario-result.ts';
import { openQemuTarget, type OpenTargetError, type TargetOptions } from './target.ts';

export type RunOnQemuResult =
  | { readonly ok: true; readonly result: ScenarioResult }
  | { readonly ok: false; readonly error: OpenTargetError | { readonly code: 'bad-graph-reply'; readonly message: string } };

export async function runOnQemu(scenario: Scenario, opts: RunOptions & TargetOptions): Promise<RunOnQemuResult> {
  const opened = await openQemuTarget(scenario.images, opts);
  if (!opened.ok) return opened;
  const { endpoint } = opened.target;
  try {
    return await runScenario(scenario, endpoint, opts);
  } finally {
    await endpoint.close();
  }
}
