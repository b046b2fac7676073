// Reads a scenario file from disk; every failure is a typed result that names the file.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseScenario, type Scenario } from './scenario.ts';

export type LoadScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly error: { readonly code: 'unreadable' | 'invalid-json' | 'invalid-scenario'; readonly message: string } };

export async function loadScenarioFile(path: string, source: string = basename(path)): Promise<LoadScenarioResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, error: { code: 'unreadable', message: `${source}: ${errorText(e)}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { code: 'invalid-json', message: `${source}: ${errorText(e)}` } };
  }
  return parseScenario(json, source);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
