// The impl against QEMU 7.2's recorded behaviour, offline: every step's ok/error and every graph.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusNames, runCorpusScenario } from './conformance.ts';

const gaps = new Set<string>((JSON.parse(readFileSync(join(CORPUS_DIR, 'known-gaps.json'), 'utf8')) as { gaps: string[] }).gaps);

describe('conformance corpus (recorded from qemu-storage-daemon 7.2)', () => {
  for (const name of corpusNames()) {
    // A known gap must still differ: once it agrees with QEMU it has to leave known-gaps.json.
    (gaps.has(name) ? it.fails : it)(name, async () => {
      const { actual, expected } = await runCorpusScenario(name);
      expect(actual).toBe(expected);
    });
  }
  it('lists only existing scenarios as gaps', () => {
    const names = new Set(corpusNames());
    expect([...gaps].filter((g) => !names.has(g))).toEqual([]);
  });
});
