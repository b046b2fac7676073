// Replays a concrete scenario on the system under test (optionally with a second target) up to its first finding.
import type { Scenario } from '../../qmp/scenario.ts';
import type { Finding } from './finding.ts';
import { CheckSession } from './check-session.ts';
import type { SessionOptions } from './check-session.ts';

export type ScenarioVerdict =
  | { readonly kind: 'finding'; readonly finding: Finding }
  /** `explained`: where the model comparison stopped at a known QEMU 7.2 defect, if it did. */
  | { readonly kind: 'passes'; readonly steps: number; readonly explained?: { readonly signature: string; readonly step: number } }
  | { readonly kind: 'cannot-run'; readonly message: string };

/** `onStep(i, n)`: called before step i of n, for progress on long scenarios. */
export async function checkScenario(scenario: Scenario, opts: SessionOptions, onStep?: (step: number, total: number) => void): Promise<ScenarioVerdict> {
  const opened = await CheckSession.open(scenario.images, opts);
  if (!opened.ok) return { kind: 'cannot-run', message: opened.error.message };
  const s = opened.session;
  try {
    let explained: { readonly signature: string; readonly step: number } | undefined;
    for (const [step, cmd] of scenario.commands.entries()) {
      onStep?.(step, scenario.commands.length);
      const r = await s.step(cmd);
      if (r.finding) return { kind: 'finding', finding: r.finding };
      if (r.explained !== undefined) explained ??= { signature: r.explained, step };
    }
    const last = s.end();
    if (last) return { kind: 'finding', finding: last };
    return { kind: 'passes', steps: scenario.commands.length, ...(explained ? { explained } : {}) };
  } finally {
    await s.close();
  }
}
