// The generic baseline's commands as an ordinary fast-check user writes them: every argument from a fixed pool,
// drawn up front with no look at the graph (properties/generate/ is the state-aware generator it is measured against).
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';

export const BASE_NODES: readonly string[] = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
export const BASE_JOBS: readonly string[] = ['j0', 'j1'];
/** Every file name the images arbitrary can make (properties/generate/images.ts). */
export const BASE_FILES: readonly string[] = [0, 1, 2].flatMap((c) => [`c${c}-0.qcow2`, `c${c}-1.qcow2`, `c${c}-2.qcow2`, `c${c}-0.raw`, `r${c}.raw`]);
const SIZES = [65536, 1048576, 2097152] as const;

const node = fc.constantFrom(...BASE_NODES);
const job = fc.constantFrom(...BASE_JOBS);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

/** A QMP call: its name, its arguments, the node names it needs to exist and the one it creates. */
export interface BaseCall {
  readonly execute: string;
  readonly arguments: JsonObject;
  readonly uses: readonly string[];
  readonly creates?: string;
  /** blockdev-reopen: the node and its new read-only flag (the command restates the driver the model knows). */
  readonly reopens?: { readonly node: string; readonly readOnly: boolean };
}

function call(execute: string, args: Record<string, JsonValue | undefined>, uses: readonly (string | undefined)[], creates?: string): BaseCall {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined) out[k] = v;
  return { execute, arguments: out, uses: uses.filter((u): u is string => u !== undefined), ...(creates !== undefined ? { creates } : {}) };
}

const add = (driver: string, fields: fc.Arbitrary<{ args: Record<string, JsonValue | undefined>; uses: readonly (string | undefined)[] }>): fc.Arbitrary<BaseCall> =>
  fc.tuple(node, opt(fc.boolean()), fields).map(([name, ro, f]) => call('blockdev-add', { driver, 'node-name': name, ...f.args, 'read-only': ro }, f.uses, name));

const child = (key: string) => node.map((c) => ({ args: { [key]: c }, uses: [c] }));

/** One arbitrary per command, each as likely as the others (fc.commands picks among them uniformly). */
export const BASE_CALLS: readonly fc.Arbitrary<BaseCall>[] = [
  add('file', fc.constantFrom(...BASE_FILES).map((f) => ({ args: { filename: f }, uses: [] }))),
  add('null-co', opt(fc.constantFrom(...SIZES)).map((s) => ({ args: { size: s }, uses: [] }))),
  add('raw', child('file')),
  add('qcow2', fc.tuple(node, fc.oneof(fc.constant<string | null | undefined>(undefined), fc.constant(null), node)).map(([f, b]) => ({ args: { file: f, backing: b }, uses: [f, b ?? undefined] }))),
  add('copy-on-read', child('file')),
  add('throttle', node.map((c) => ({ args: { 'throttle-group': 'g0', file: c }, uses: [c] }))),
  add('blkdebug', child('image')),
  add('blkverify', fc.tuple(node, node).map(([t, r]) => ({ args: { test: t, raw: r }, uses: [t, r] }))),
  add('quorum', fc.uniqueArray(node, { minLength: 1, maxLength: 3 }).map((cs) => ({ args: { children: cs, 'vote-threshold': 1 }, uses: cs }))),
  node.map((n) => call('blockdev-del', { 'node-name': n }, [n])),
  fc.tuple(node, fc.constantFrom(...SIZES)).map(([n, s]) => call('block_resize', { 'node-name': n, size: s }, [n])),
  fc.tuple(node, fc.boolean()).map(([n, ro]): BaseCall => ({ ...call('blockdev-reopen', {}, [n]), reopens: { node: n, readOnly: ro } })),
  fc.constant(call('object-add', { 'qom-type': 'throttle-group', id: 'g0' }, [])),
  fc.constant(call('nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } }, [])),
  fc.tuple(node, opt(fc.boolean())).map(([n, w]) => call('block-export-add', { type: 'nbd', id: 'e0', 'node-name': n, writable: w }, [n])),
  fc.constant(call('block-export-del', { id: 'e0' }, [])),
  fc.tuple(node, node).map(([p, n]) => call('x-blockdev-change', { parent: p, node: n }, [p, n])),
  fc.tuple(node, fc.nat(2)).map(([p, i]) => call('x-blockdev-change', { parent: p, child: `children.${i}` }, [p])),
  fc.tuple(node, node).map(([n, o]) => call('blockdev-snapshot', { node: n, overlay: o }, [n, o])),
  fc.tuple(job, node, opt(node)).map(([j, d, b]) => call('block-stream', { 'job-id': j, device: d, 'base-node': b }, [d, b])),
  fc.tuple(job, node, opt(node), opt(node)).map(([j, d, t, b]) => call('block-commit', { 'job-id': j, device: d, 'top-node': t, 'base-node': b }, [d, t, b])),
  fc.tuple(job, node, node, fc.constantFrom('full', 'top', 'none'), opt(node)).map(([j, d, t, s, r]) => call('blockdev-mirror', { 'job-id': j, device: d, target: t, sync: s, replaces: r }, [d, t, r])),
  ...['complete', 'cancel', 'finalize', 'dismiss', 'pause', 'resume'].map((v) => job.map((j) => call(`job-${v}`, { id: j }, []))),
];
