// Reads a scenario file from disk; every failure is a typed result that names the file.
import { basename } from 'node:path';
import { readJsonFile } from './json-file.ts';
import { parseScenario, type Scenario } from './scenario.ts';

export type LoadScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly error: { readonly code: 'unreadable' | 'invalid-json' | 'invalid-scenario'; readonly message: string } };

export async function loadScenarioFile(path: string, source: string = basename(path)): Promise<LoadScenarioResult> {
  const json = await readJsonFile(path, source);
  return json.ok ? parseScenario(json.value, source) : json;
}
