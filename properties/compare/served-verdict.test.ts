// Observation steps judged against the model: QEMU 7.2's recorded answers of the served-* corpus agree where the model
// judges them, and each of those answers, forged, disagrees with a signature that says what differs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apply, initialState } from '../../model/index.ts';
import type { ServedExtent } from '../../qmp/observation.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { ModelTarget } from '../run/model-target.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { PLAIN } from '../run/target.ts';
import { corpusNames } from './corpus-verdicts.ts';
import { judgeServed } from './served-verdict.ts';

const CORPUS = new URL('../../impl/conformance/', import.meta.url);
const read = (dir: string, name: string): { readonly [k: string]: JsonValue } => JSON.parse(readFileSync(new URL(`${dir}/${name}.json`, CORPUS), 'utf8'));

/** The answer made wrong: every extent one layer deeper (0 -> 1 -> 2 -> 0), or the checksum's last digit changed. */
function forged(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return (v as unknown as ServedExtent[]).map((x) => ({ ...x, depth: (x.depth + 1) % 3, present: (x.depth + 1) % 3 > 0 }));
  const o = v as { readonly sha256: string };
  return { ...o, sha256: `${o.sha256.slice(0, -1)}${o.sha256.endsWith('0') ? '1' : '0'}` };
}

describe('observation steps against the model', () => {
  it('every answer the model judges in the served-* corpus agrees, and disagrees once forged', async () => {
    const keys = new Set<string>();
    let judged = 0;
    for (const name of corpusNames().filter((n) => n.startsWith('served-'))) {
      const [scenario, expected] = [read('scenarios', name), read('expected', name)];
      const steps = expected['steps'] as readonly { readonly ok: boolean; readonly return?: JsonValue; readonly error?: string }[];
      const model = new ModelTarget();
      await model.start(scenario['images'] as never, { quirks: [], fixes: [] });
      for (const [i, cmd] of (scenario['commands'] as never as readonly { execute: string; arguments: JsonValue }[]).entries()) {
        const r = steps[i];
        const state = model.state;
        if (!r || !state) break;
        const outcome = r.ok ? { kind: 'ok' as const, ...(r.return === undefined ? {} : { value: r.return }) } : { kind: 'error' as const, code: null, desc: r.error ?? '' };
        const v = model.compare(cmd, { outcome, graph: (expected['graphs'] as never)?.[i] ?? null });
        if (v.kind !== 'agree' || v.observation?.judged !== true || r.return === undefined) continue;
        judged++;
        const wrong = judgeServed(state, cmd, { kind: 'ok', value: forged(r.return) });
        expect(wrong.kind, `${name} step ${i}`).toBe('disagree');
        if (wrong.kind === 'disagree') keys.add(wrong.key);
      }
    }
    expect(judged).toBeGreaterThanOrEqual(90);
    expect(keys).toContain('blkdebug>qcow2:depth');
    expect(keys).toContain('quorum:checksum');
  });

  it('catches the quirk status-stops-at-filters at the first observation of a filter, and passes 7.2', async () => {
    const scenario: Scenario = {
      images: [
        { filename: 'c2-0.raw', format: 'raw', size: 65536, writes: [{ offset: 0, length: 512, pattern: 0 }] },
        { filename: 'c2-1.qcow2', format: 'qcow2', size: 65536, backing: 'c2-0.raw', backing_fmt: 'raw' },
      ],
      commands: [
        // as long as the qcow2: a blkverify longer than its raw side hangs QEMU when its status is asked (0059)
        { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n7', size: 65536 } },
        { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'n11', file: { driver: 'file', filename: 'c2-1.qcow2' } } },
        { execute: 'blockdev-add', arguments: { driver: 'blkverify', 'node-name': 'n13', test: 'n7', raw: 'n11' } },
        { execute: 'observe-block-status', arguments: { 'node-name': 'n13' } },
      ],
    };
    const quirk = await checkScenario(scenario, { variant: { quirks: ['status-stops-at-filters'], fixes: [] }, graphs: false, check: new ModelTarget() });
    expect(quirk.kind === 'finding' ? quirk.finding.signature : quirk.kind).toBe('disagreement/observe-block-status/-/blkverify>qcow2:depth');
    expect((await checkScenario(scenario, { variant: PLAIN, graphs: false, check: new ModelTarget() })).kind).toBe('passes');
  });

  it('a checksum over another length, and an answer the impl does not model', () => {
    const added = apply(initialState([]), { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'z', size: 65536, 'read-zeroes': true } });
    const s = added.kind === 'judged' ? added.branches[0]!.state : initialState([]);
    const cmd = { execute: 'observe-checksum', arguments: { 'node-name': 'z' } };
    const v = judgeServed(s, cmd, { kind: 'ok', value: { length: 512, sha256: 'x' } });
    expect(v.kind === 'disagree' ? v.key : v.kind).toBe('null-co:checksum-length');
    expect(judgeServed(s, cmd, { kind: 'ok', value: { length: 65536, sha256: 'not-modelled' } })).toEqual({ kind: 'not-judged', why: 'not-modelled' });
  });
});
