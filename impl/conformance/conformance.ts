// Runs a recorded scenario on the impl in-process and returns both results for comparison.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../qmp/scenario.ts';
import { formatResult, runScenario } from '../../qmp/run-scenario.ts';
import { ImplEndpoint } from '../impl-endpoint.ts';
import { MemoryImageStore } from '../images/memory.ts';

export const CORPUS_DIR = new URL('.', import.meta.url).pathname;

export function corpusNames(): string[] {
  return readdirSync(join(CORPUS_DIR, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export async function runCorpusScenario(name: string): Promise<{ actual: string; expected: string }> {
  const json: unknown = JSON.parse(readFileSync(join(CORPUS_DIR, 'scenarios', `${name}.json`), 'utf8'));
  const parsed = parseScenario(json, `${name}.json`);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const endpoint = new ImplEndpoint(MemoryImageStore.fromSpecs(parsed.scenario.images));
  const out = await runScenario(parsed.scenario, endpoint, { every: true, settleLimitMs: 0 });
  if (!out.ok) throw new Error(out.error.message);
  const expected = readFileSync(join(CORPUS_DIR, 'expected', `${name}.json`), 'utf8').trimEnd();
  return { actual: formatResult(out.result), expected };
}
