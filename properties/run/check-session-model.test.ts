// The model as the session's second target: differences no invariant names become findings, known 7.2 defects don't.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../qmp/json-stream.ts';
import { parseScenario } from '../../qmp/scenario.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { CheckSession } from './check-session.ts';
import { DISAGREEMENT } from './finding.ts';
import { ModelTarget } from './model-target.ts';
import { checkScenario } from './run-scenario.ts';
import { PLAIN } from './target.ts';

const add = (args: QmpCommand['arguments']): QmpCommand => ({ execute: 'blockdev-add', arguments: args });

// an intermediate commit whose base was read-only: 7.2 returns it to read-only, the historical bug did not
const COMMIT: Scenario = {
  images: [
    { filename: 'b.qcow2', format: 'qcow2', size: 65536 },
    { filename: 'm.qcow2', format: 'qcow2', size: 65536, backing: 'b.qcow2', backing_fmt: 'qcow2' },
    { filename: 't.qcow2', format: 'qcow2', size: 65536 },
  ],
  commands: [
    add({ driver: 'qcow2', 'node-name': 'mid', file: { driver: 'file', filename: 'm.qcow2' } }),
    add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 't.qcow2' }, backing: 'mid' }),
    { execute: 'block-commit', arguments: { 'job-id': 'j', device: 'top', 'top-node': 'mid' } },
  ],
};

const corpus = (name: string): Scenario =>
  JSON.parse(readFileSync(new URL(`../../impl/conformance/scenarios/${name}.json`, import.meta.url), 'utf8')) as Scenario;

describe('CheckSession with the model', () => {
  it('reports what only the model sees as a disagreement, with both sides and the graph diff', async () => {
    const v = await checkScenario(COMMIT, { variant: { quirks: ['commit-keeps-base-rw'], fixes: [] }, graphs: false, check: new ModelTarget() });
    expect(v.kind === 'finding' && [v.finding.detector, v.finding.step, v.finding.signature]).toEqual([DISAGREEMENT, 2, 'disagreement/block-commit/-/graph:node-changed(ro>rw)+perm-changed']);
    expect(v.kind === 'finding' ? v.finding.message : '').toMatch(/^the graphs differ; impl: ok; model: ok; graph \(model -> impl\): node changed: mid\/backing \(qcow2, ro\) -> mid\/backing \(qcow2, rw\)/);
  });

  it('agrees with the impl as QEMU 7.2 on the same sequence', async () => {
    expect(await checkScenario(COMMIT, { variant: PLAIN, graphs: false, check: new ModelTarget() })).toEqual({ kind: 'passes', steps: 3 });
  });

  it('stops comparing at a step the model does not judge, saying why, and goes on with the invariants alone', async () => {
    // the historical bug would part impl and model at the commit, but its deprecated file-name `top` is not judged
    const opened = await CheckSession.open(COMMIT.images, { variant: { quirks: ['commit-keeps-base-rw'], fixes: [] }, graphs: false, check: new ModelTarget() });
    if (!opened.ok) throw new Error(opened.error.message);
    const s = opened.session;
    try {
      for (const c of COMMIT.commands.slice(0, 2)) {
        const r = await s.step(c);
        expect([r.finding, r.unjudged]).toEqual([undefined, undefined]);
      }
      const r = await s.step({ execute: 'block-commit', arguments: { 'job-id': 'j', device: 'top', top: 'm.qcow2' } });
      expect([r.outcome.kind, r.finding, r.unjudged]).toEqual(['ok', undefined, 'file-name']);
      expect((await s.step({ execute: 'query-jobs' })).finding).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('takes a double in a file as a number: `"arguments": 1.5` is refused as QEMU refuses it, a double option compares', async () => {
    const text = `{"images": [], "commands": [{"execute": "query-jobs", "arguments": 1.5},
      {"execute": "blockdev-add", "arguments": {"driver": "blkdebug", "node-name": "d", "image": {"driver": "null-co", "node-name": "n"}, "set-state": 1.5}},
      {"execute": "blockdev-reopen", "arguments": {"options": [{"driver": "blkdebug", "node-name": "d", "image": "n", "set-state": 2.5}]}}]}`;
    const json = parseJsonValue(text);
    const parsed = parseScenario(json.ok ? json.value : null, 'doubles.json');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const opened = await CheckSession.open([], { variant: PLAIN, graphs: false, check: new ModelTarget() });
    if (!opened.ok) throw new Error(opened.error.message);
    try {
      const r = await opened.session.step(parsed.scenario.commands[0]!);
      expect([r.outcome, r.finding]).toEqual([{ kind: 'error', code: 'invalid-param', desc: "QMP input member 'arguments' must be an object" }, undefined]);
    } finally {
      await opened.session.close();
    }
    expect(await checkScenario(parsed.scenario, { variant: PLAIN, graphs: false, check: new ModelTarget() })).toEqual({ kind: 'passes', steps: 3 });
  });

  it('stops comparing at a documented QEMU 7.2 defect, without calling it a finding, and goes on with the invariants', async () => {
    const sc = corpus('core-gen-09-force-share-combos');
    const v = await checkScenario(sc, { variant: PLAIN, graphs: false, check: new ModelTarget() });
    expect(v.kind === 'passes' && [v.steps, v.explained?.signature]).toEqual([sc.commands.length, 'reopen-restating-force-share-fails']);
    expect(v.kind === 'passes' && (v.explained?.step ?? sc.commands.length) < sc.commands.length - 1).toBe(true);
  });
});
