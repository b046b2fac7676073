// Every invariant holds after every step of the recorded QEMU 7.2 corpus replayed on the impl, QEMU's own defects aside.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../impl/conformance/conformance.ts';
import { loadScenarioFile } from '../../qmp/load-scenario.ts';
import { fileURLToPath } from 'node:url';
import { projectKnown } from '../signature/project-known.ts';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { PLAIN } from '../run/target.ts';

const dir = join(CORPUS_DIR, 'scenarios');
// QEMU 7.2's own breaches (stored fixtures, known aborts) are expected where the corpus records them
const fixtures = await loadFixtureDir(fileURLToPath(new URL('../../shrunk-cases/', import.meta.url)));
const { signatures: known } = await projectKnown(fixtures.flatMap((l) => (l.ok ? [l.fixture] : [])), PLAIN);

describe('invariants on the conformance corpus', () => {
  it('hold on every scenario, QEMU 7.2 defects aside (stored fixtures, and aborts where a -CRASH scenario expects one)', async () => {
    const problems: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const l = await loadScenarioFile(join(dir, f));
      if (!l.ok) continue;
      const v = await checkScenario(l.scenario, { variant: PLAIN, graphs: false });
      const expected = v.kind === 'finding' && (known.has(v.finding.signature) || (f.includes('-CRASH') && v.finding.detector === 'qemu-abort'));
      if (v.kind === 'finding' && !expected) problems.push(`${f}: step ${v.finding.step}: ${v.finding.detector}: ${v.finding.message}`);
      if (v.kind === 'cannot-run') problems.push(`${f}: ${v.message}`);
    }
    expect(problems).toEqual([]);
  });
});
