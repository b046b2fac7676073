import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../../qmp/scenario.ts';
import { BlockLayer } from '../../impl/block-layer.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { Invariant } from '../invariants/index.ts';
import { CheckSession } from './check-session.ts';
import { parseCrash } from '../../qmp/crash.ts';
import { commandDriver, crashFinding, makeFinding } from './finding.ts';
import type { Observation } from './observation.ts';
import type { StepOutcome } from './outcome.ts';
import { checkScenario } from './run-scenario.ts';
import { sameSignature } from '../signature/signature-form.ts';
import { implAsBuild } from '../observe/targets.ts';
import { PLAIN } from './target.ts';
import type { Target } from './target.ts';

type TargetStep = Observation;

afterEach(() => vi.restoreAllMocks());

const ADD_NULL: QmpCommand = { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n0' } };

const failing = (name: string, message: string): Invariant => ({ kind: 'state', name, source: 'test', check: () => [{ message }] });
const throwing: Invariant = {
  kind: 'state',
  name: 'throws',
  source: 'test',
  check: () => {
    throw new Error('oops');
  },
};

/** A second target (a build beside the impl) that answers what it is told to. */
class Scripted implements Target {
  readonly name = 'qemu';
  constructor(private readonly answers: TargetStep[]) {}
  start = (): Promise<{ ok: true }> => Promise.resolve({ ok: true });
  step = (): Promise<TargetStep> => Promise.resolve(this.answers.shift() ?? { outcome: { kind: 'ok' }, graph: null, view: null });
  close = (): Promise<void> => Promise.resolve();
}

describe('CheckSession', () => {
  it('turns an exception thrown by the impl into a finding, never a crash', async () => {
    vi.spyOn(BlockLayer.prototype, 'execute').mockImplementation(() => {
      throw new TypeError('boom');
    });
    const v = await checkScenario({ images: [], commands: [ADD_NULL] }, { variant: PLAIN, graphs: false });
    expect(v).toEqual({ kind: 'finding', finding: makeFinding('impl-exception', 0, ADD_NULL, 'TypeError: boom') });
    expect(v.kind === 'finding' && v.finding.signature).toBe('impl-exception/blockdev-add/null-co');
  });

  it('reports a qemu-abort outcome with its stderr', async () => {
    const reopen: QmpCommand = { execute: 'blockdev-reopen', arguments: { options: [] } };
    const v = await checkScenario({ images: [], commands: [ADD_NULL, reopen, ADD_NULL] }, { variant: PLAIN, graphs: false });
    expect(v.kind === 'finding' && [v.finding.step, v.finding.signature]).toEqual([1, 'qemu-abort/-/bdrv_reopen_multiple']);
    expect(v.kind === 'finding' && v.finding.message).toMatch(/Assertion `bs_queue != NULL' failed/);
  });

  it('reports the first violated invariant in list order, and a throwing check as that check', async () => {
    const opts = { variant: PLAIN, graphs: false, invariants: [failing('first', 'one'), failing('second', 'two')] };
    const v = await checkScenario({ images: [], commands: [ADD_NULL] }, opts);
    expect(v.kind === 'finding' && [v.finding.detector, v.finding.message, v.finding.signature]).toEqual(['first', 'one', 'first/blockdev-add/null-co/-']);
    const t = await checkScenario({ images: [], commands: [ADD_NULL] }, { ...opts, invariants: [throwing] });
    expect(t.kind === 'finding' && t.finding.message).toBe('the check threw: oops');
  });

  it('passes a clean scenario and holds every real invariant on it', async () => {
    const v = await checkScenario({ images: [{ filename: 'a.qcow2', format: 'qcow2', size: 65536 }], commands: [ADD_NULL, { execute: 'blockdev-del', arguments: { 'node-name': 'n0' } }] }, { variant: PLAIN, graphs: true });
    expect(v).toEqual({ kind: 'passes', steps: 2 });
  });

  it('reports disagreements with a second target: outcome, then graph', async () => {
    const emptyGraph: NormalizedGraph = { nodes: [], edges: [] };
    const err: StepOutcome = { kind: 'error', code: null, desc: 'no' };
    const o = await checkScenario({ images: [], commands: [ADD_NULL] }, { variant: PLAIN, graphs: false, check: new Scripted([{ outcome: err, graph: null, view: null }]) });
    expect(o.kind === 'finding' && [o.finding.detector, o.finding.message]).toEqual(['disagreement', 'impl: ok; qemu: error: no']);
    const g = await checkScenario({ images: [], commands: [ADD_NULL] }, { variant: PLAIN, graphs: false, check: new Scripted([{ outcome: { kind: 'ok' }, graph: emptyGraph, view: null }]) });
    expect(g.kind === 'finding' && g.finding.message).toMatch(/^graphs differ \(qemu -> impl\): node added: n0 \(null-co, rw\)/);
  });

  it('compares error texts without automatic node names', async () => {
    const err = (desc: string): TargetStep => ({ outcome: { kind: 'error', code: null, desc }, graph: null, view: null });
    const bad: QmpCommand = { execute: 'blockdev-del', arguments: { 'node-name': '#block001' } };
    const same = await checkScenario({ images: [], commands: [bad] }, { variant: PLAIN, graphs: false, check: new Scripted([err("Failed to find node with node-name='#block178'")]) });
    expect(same.kind).toBe('passes');
  });

  it('refuses quirks and fixes the impl does not have', async () => {
    const r = await CheckSession.open([], { variant: { quirks: ['no-such-quirk'], fixes: [] }, graphs: false });
    expect(r.ok ? '' : r.error.message).toMatch(/^the impl has no unknown quirk 'no-such-quirk' \(known: stale-child-options, /);
    const ok = await CheckSession.open([], { variant: { quirks: ['stale-child-options'], fixes: ['mirror-prevent-loops'] }, graphs: false });
    expect(ok.ok).toBe(true);
  });

  it('names a command by its driver, or the first reopened node', () => {
    expect(commandDriver(ADD_NULL)).toBe('null-co');
    expect(commandDriver({ execute: 'blockdev-reopen', arguments: { options: [{ driver: 'raw' }] } })).toBe('raw');
    expect(commandDriver({ execute: 'block_resize', arguments: { 'node-name': 'a', size: 0 } })).toBeUndefined();
  });
});

describe('crash signatures', () => {
  it('name where QEMU died, so one assertion reached from many commands is one finding', () => {
    const reopen: QmpCommand = { execute: 'blockdev-reopen', arguments: { options: [] } };
    const sig = (stderr: string, cmd: QmpCommand = reopen): string => crashFinding(0, cmd, parseCrash(stderr)).signature;
    expect(sig("qemu-storage-daemon: ../../block/io.c:64: bdrv_parent_drained_end_single_no_poll: Assertion `c->parent_quiesce_counter > 0' failed.")).toBe('qemu-abort/-/bdrv_parent_drained_end_single_no_poll');
    expect(sig('Unexpected error in bdrv_check_qiov_request() at ../../block/io.c:971:\noffset is negative: -512')).toBe('qemu-abort/-/bdrv_check_qiov_request');
    expect(sig('blkverify: read offset=0 bytes=65536 contents mismatch at offset 0')).toBe('qemu-abort/-/blkverify-mismatch');
    expect([sig(''), sig('', ADD_NULL)]).toEqual(['qemu-abort/blockdev-reopen/segfault', 'qemu-abort/blockdev-add/segfault']);
    // a segfault the impl decided carries its cause (impl/core/deaths.ts segfaultOf): it signs by that, not the command
    const caused = crashFinding(0, ADD_NULL, { site: { kind: 'silent', cause: 'driver-gone' }, stderr: '', signal: 'SIGSEGV' });
    expect(caused.signature).toBe('qemu-abort/-/segfault(driver-gone)');
    expect(sig('Something else: went wrong\nmore')).toBe('qemu-abort/-/something-else-went-wrong');
  });
});

describe('a crash racing its reply', () => {
  it('agrees when QEMU dies at the command whose job crashes and the impl defers the abort to the next command', async () => {
    const f = JSON.parse(readFileSync(new URL('../../shrunk-cases/0029-qemu-abort-bdrv-co-do-pwrite-zeroes.json', import.meta.url), 'utf8')) as { scenario: Scenario };
    const ok: TargetStep = { outcome: { kind: 'ok' }, graph: null, view: null };
    const died: TargetStep = { outcome: { kind: 'crash', crash: parseCrash(''), phase: 'command' }, graph: null, view: null };
    const v = await checkScenario(f.scenario, { variant: PLAIN, graphs: false, check: new Scripted([ok, ok, ok, died]) });
    expect(v.kind === 'finding' && [v.finding.step, v.finding.signature]).toEqual([3, 'qemu-abort/-/bdrv_co_do_pwrite_zeroes']);
  });
});

describe('any target under test, through the Target interface alone', () => {
  const fixture = (name: string): { scenario: Scenario; finding: { step: number; signature: string } } =>
    JSON.parse(readFileSync(new URL(`../../shrunk-cases/${name}.json`, import.meta.url), 'utf8')) as { scenario: Scenario; finding: { step: number; signature: string } };

  it('judges the impl seen only through QMP with the same invariants, and finds what the impl finds', async () => {
    const f = fixture('0007-failed-command-leaves-graph-unchanged-block-stream');
    const v = await checkScenario(f.scenario, { variant: PLAIN, graphs: false, target: implAsBuild });
    // the stored three-part signature matches the full one the finding has now (properties/signature/)
    expect(v.kind === 'finding' && [v.finding.step, sameSignature(f.finding.signature, v.finding.signature)]).toEqual([f.finding.step, true]);
  });

  it('reports a death after the last reply at the step that caused it', async () => {
    const f = fixture('0029-qemu-abort-bdrv-co-do-pwrite-zeroes');
    const v = await checkScenario({ ...f.scenario, commands: f.scenario.commands.slice(0, 4) }, { variant: PLAIN, graphs: false, target: implAsBuild });
    expect(v.kind === 'finding' && [v.finding.step, v.finding.signature, v.finding.crash?.site.kind]).toEqual([3, 'qemu-abort/-/bdrv_co_do_pwrite_zeroes', 'assertion']);
  });

  it('reports a target that stops answering as a hang, named by the command', async () => {
    const hangs: Target = {
      name: 'qemu',
      start: () => Promise.resolve({ ok: true }),
      step: (cmd) => Promise.resolve({ outcome: { kind: 'hang', command: cmd.execute, ms: 10, phase: 'command' }, graph: null, view: null }),
      close: () => Promise.resolve(),
    };
    const v = await checkScenario({ images: [], commands: [ADD_NULL] }, { variant: PLAIN, graphs: false, target: () => hangs });
    expect(v.kind === 'finding' && [v.finding.signature, v.finding.message]).toEqual(['qemu-hang/blockdev-add/-', 'no reply to blockdev-add within 10 ms']);
  });
});
