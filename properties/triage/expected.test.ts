// How each kind of stored finding shows on a build, read from the impl seen through QMP alone (no QEMU needed).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import type { Fixture } from '../fixtures/fixture.ts';
import { expectedOf } from './expected.ts';
import { verdictOf } from './verdict.ts';

const all = (await loadFixtureDir(fileURLToPath(new URL('../../shrunk-cases/', import.meta.url)))).flatMap((l) => (l.ok ? [l.fixture] : []));
const fixture = (prefix: string): Fixture => {
  const f = all.find((x) => x.name.startsWith(prefix));
  if (!f) throw new Error(`no fixture ${prefix}`);
  return f;
};

describe('expectedOf', () => {
  it('reads a crash by its site, a job crash at the step that finds it, a freed filter as a death answering the queries', async () => {
    expect(await expectedOf(fixture('0001-'))).toMatchObject({ kind: 'shows', step: 0, shows: { kind: 'crash', site: 'bdrv_reopen_multiple' } });
    expect(await expectedOf(fixture('0029-'))).toMatchObject({ kind: 'shows', step: 4, shows: { kind: 'crash', site: 'bdrv_co_do_pwrite_zeroes' } });
    // the impl's graph shows the concluded stream's edge to its freed filter; a build dies when asked for its graph
    expect(await expectedOf(fixture('0003-'))).toMatchObject({ kind: 'shows', step: 2, shows: { kind: 'crash', site: 'segfault' }, signature: 'qemu-abort/block-stream/segfault' });
  });

  it('reads an observed invariant as that check, and an impl-only one through its witness or not at all', async () => {
    expect(await expectedOf(fixture('0008-'))).toMatchObject({ kind: 'shows', step: 2, shows: { kind: 'check', check: 'edge-perms-match-driver-rules' } });
    expect(await expectedOf(fixture('0010-'))).toMatchObject({ kind: 'shows', step: 8, shows: { kind: 'crash-kind', site: 'error-abort' } });
    // two jobs: the witness cancels the older first (the newer one's BlockBackend is what its drop conflicts with)
    expect(await expectedOf(fixture('0066-'))).toMatchObject({ kind: 'shows', step: 8, shows: { kind: 'crash-kind', site: 'error-abort' } });
    expect(await expectedOf(fixture('0023-'))).toEqual({ kind: 'unobservable', why: "options-match-graph reads the impl's insides; through QMP the impl shows nothing" });
  });

  it('judges a finding against the model with the model beside the build', async () => {
    expect(await expectedOf(fixture('0021-'))).toEqual({ kind: 'apart-from-model', step: 5 });
    expect(await expectedOf(fixture('0027-'))).toEqual({ kind: 'apart-from-model', step: 1 });
  });

  it('says a disagreement only in the error code, or at a step the model does not judge, cannot show through QMP', async () => {
    const cmd = { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: 'missing' } };
    const signature = 'disagreement/blockdev-add/file/impl-error[not-found]-model-error[io-error]+error[busy]';
    const finding = { detector: 'disagreement', step: 0, message: 'm', signature, against: 'model' } as const;
    const variant = { quirks: [], fixes: [] };
    const provenance = { seed: 0, path: '', tool: '', ...variant };
    const f: Fixture = { ...fixture('0021-'), scenario: { images: [], commands: [cmd] }, finding, provenance, expect: { reproduces: variant, passes: null } };
    expect(await expectedOf(f)).toMatchObject({ why: expect.stringContaining('only the error code, impl not-found, model io-error or busy, which QMP does not carry') });
    // a step the model (changed since) does not judge: nothing a build could part from (0005 of seed 21)
    const stream = { execute: 'block-stream', arguments: { 'job-id': 'j', device: 'f', base: 'x' } };
    const file = { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: 'a.raw' } };
    const g: Fixture = { ...f, scenario: { images: [{ filename: 'a.raw', format: 'raw', size: 1048576 }], commands: [file, stream] }, finding: { ...finding, step: 1 } };
    expect(await expectedOf(g)).toEqual({ kind: 'unobservable', why: 'the model does not judge step 1 (file-name): replay it on the impl (bgcheck replay)' });
  });
});

describe('verdictOf', () => {
  const crash = { kind: 'shows', step: 4, shows: { kind: 'crash', site: 'f' }, signature: 'qemu-abort/-/f' } as const;
  const finding = (step: number, stderr: string) => ({ kind: 'finding', finding: { detector: 'qemu-abort', step, execute: 'x', message: stderr, signature: 's' } }) as const;
  it('calls the same site at the step (or one earlier, racing its reply) reproduces, anything else differs, clean fixed', () => {
    expect(verdictOf(crash, finding(4, "a.c:1: f: Assertion `x' failed.")).kind).toBe('reproduces');
    expect(verdictOf(crash, finding(3, "a.c:1: f: Assertion `x' failed.")).kind).toBe('reproduces');
    expect(verdictOf(crash, finding(2, "a.c:1: f: Assertion `x' failed.")).kind).toBe('differs');
    expect(verdictOf(crash, finding(4, "a.c:1: g: Assertion `x' failed.")).kind).toBe('differs');
    expect(verdictOf(crash, { kind: 'clean', through: 4, last: 'x: ok' })).toEqual({ kind: 'fixed', step: 4, detail: 'clean through step 4 (x: ok)' });
  });

  it('holds a segfault (no site) reproduced by any death at its step, and a named site only by that site', () => {
    const segfault = { kind: 'shows', step: 4, shows: { kind: 'crash', site: 'segfault' }, signature: 'qemu-abort/x/segfault' } as const;
    expect(verdictOf(segfault, finding(4, "a.c:1: g: Assertion `x' failed.")).kind).toBe('reproduces');
    expect(verdictOf(segfault, finding(2, "a.c:1: g: Assertion `x' failed.")).kind).toBe('differs');
    expect(verdictOf(crash, finding(4, '')).kind).toBe('differs');
  });

  it("holds a witness's crash one step late (the job dies after its cancel replies) as reproduced", () => {
    const witnessed = { kind: 'shows', step: 8, shows: { kind: 'crash-kind', site: 'error-abort' }, signature: 's' } as const;
    const died = (step: number) => ({ kind: 'finding', finding: { detector: 'qemu-abort', step, execute: 'job-cancel', message: 'Unexpected error in f() at a.c:1:\nx', signature: 's', crash: { site: { kind: 'error-abort', fn: 'f' }, stderr: '', signal: 'SIGABRT' } } }) as const;
    expect(verdictOf(witnessed, died(9)).kind).toBe('reproduces');
    expect(verdictOf(witnessed, died(10)).kind).toBe('differs');
    expect(verdictOf(crash, finding(5, "a.c:1: f: Assertion `x' failed.")).kind).toBe('differs');
  });

  it('with the model beside it: like 7.2 reproduces, like the model fixed, neither or earlier differs', () => {
    const apart = { kind: 'apart-from-model', step: 5 } as const;
    expect(verdictOf(apart, { kind: 'sides', step: 5, likeImpl: true, likeModel: false, detail: 'd' }).kind).toBe('reproduces');
    expect(verdictOf(apart, { kind: 'sides', step: 5, likeImpl: false, likeModel: true, detail: 'd' }).kind).toBe('fixed');
    expect(verdictOf(apart, { kind: 'sides', step: 5, likeImpl: false, likeModel: false, detail: 'd' }).kind).toBe('differs');
    expect(verdictOf(apart, { kind: 'apart', step: 2, why: 'w' })).toEqual({ kind: 'differs', step: 2, detail: 'step 2: w' });
  });
});
