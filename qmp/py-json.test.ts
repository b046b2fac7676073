import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pyJsonDumps, pyJsonNumber } from './py-json.ts';
import { formatResult } from './run-scenario.ts';
import type { ScenarioResult } from './scenario-result.ts';

// Both texts were printed by Python 3's json.dumps (default and indent=1) for the same object.
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const compact = fixture('py-json-sample.compact.txt');
const indented = fixture('py-json-sample.indent1.txt');

describe('pyJsonDumps', () => {
  it('matches json.dumps(obj) byte for byte', () => {
    expect(pyJsonDumps(JSON.parse(compact))).toBe(compact);
  });

  it('matches json.dumps(obj, indent=1) byte for byte', () => {
    expect(pyJsonDumps(JSON.parse(compact), 1)).toBe(indented);
  });

  it('prints numbers like Python repr', () => {
    expect([1e-5, 1.5e-7, 0.0001, 2 ** 70, -0].map(pyJsonNumber)).toEqual(['1e-05', '1.5e-07', '0.0001', '1180591620717411303424', '0']);
  });
});

// qmprun.py's own output, when the shared recordings are around: re-printing must give the same bytes
const expectedDir = '/work/shared/scenarios-expected';
describe.skipIf(!existsSync(expectedDir))(`formatResult on ${expectedDir} (skipped: directory not present)`, () => {
  const files = existsSync(expectedDir) ? readdirSync(expectedDir).filter((f) => f.endsWith('.json')) : [];
  it.each(files)('%s round-trips', (f) => {
    const text = readFileSync(`${expectedDir}/${f}`, 'utf8');
    expect(formatResult(JSON.parse(text) as ScenarioResult) + '\n').toBe(text);
  });
});
