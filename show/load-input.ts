// What `show` and `export` take: a fixture (shrunk-cases/NNNN-*.json) or a plain scenario file.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { loadFixtureFile } from '../properties/fixtures/load-fixtures.ts';
import { loadScenarioFile } from '../qmp/load-scenario.ts';
import type { Scenario } from '../qmp/scenario.ts';

export type Input =
  | { readonly kind: 'fixture'; readonly file: string; readonly name: string; readonly fixture: Fixture; readonly scenario: Scenario }
  | { readonly kind: 'scenario'; readonly file: string; readonly name: string; readonly scenario: Scenario };

export type LoadInputResult = { readonly ok: true; readonly input: Input } | { readonly ok: false; readonly message: string };

/** A file with a `finding` is read as a fixture, anything else as a scenario; errors name the file and field. */
export async function loadInput(file: string): Promise<LoadInputResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    return { ok: false, message: `${basename(file)}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const name = basename(file).replace(/\.json$/, '');
  if (typeof json === 'object' && json !== null && 'finding' in json) {
    const f = await loadFixtureFile(file);
    return f.ok ? { ok: true, input: { kind: 'fixture', file, name, fixture: f.fixture, scenario: f.fixture.scenario } } : { ok: false, message: f.error.message };
  }
  const s = await loadScenarioFile(file);
  return s.ok ? { ok: true, input: { kind: 'scenario', file, name, scenario: s.scenario } } : { ok: false, message: s.error.message };
}
