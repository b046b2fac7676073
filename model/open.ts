// bdrv_open's generic part (name, flags, inheritance, children attached and checked at once); the driver's `open` the rest.
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { checkGraph } from './check.ts';
import type { Draft } from './draft.ts';
import { driverOf } from './drivers/index.ts';
import { attach, autoName } from './edit.ts';
import { driverLength, isId, lookup, str } from './graph.ts';
import { isObjectValue } from '../qmp/json-value.ts';
import { IMAGE, type RoleSpec } from './perm-rules.ts';
import { OK, fail, ok, seq, type Result } from './result.ts';
import type { MNode, ModelState } from './state.ts';

/** Options that name children (I5): a node's own options never keep them. */
export const CHILD_KEYS = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];
export function stripChildren(o: JsonObject): { [k: string]: JsonValue } {
  const keys = Object.keys(o);
  // a '__proto__' key (JSON allows it) would set the prototype if assigned: define it as fromEntries does
  if (keys.includes('__proto__')) return Object.fromEntries(Object.entries(o).filter(([k]) => !CHILD_KEYS.includes(k)));
  const out: { [k: string]: JsonValue } = {};
  for (const k of keys) if (!CHILD_KEYS.includes(k)) out[k] = o[k] as JsonValue;
  return out;
}

export function checkNodeName(s: ModelState, name: string): Result {
  if (!isId(name)) return fail('invalid-param', `Invalid node-name: '${name}'`);
  if (s.nodes.some((n) => n.name === name)) return fail('duplicate', `Duplicate nodes with node-name='${name}'`);
  return name.length >= 32 ? fail('invalid-param', 'Node name too long') : OK;
}

/** What a nested child takes from the parent opening it (bdrv_inherited_options). */
type Inherit = { readonly parent: string; readonly readOnly: boolean; readonly forceShare: boolean; readonly opening: readonly string[] };
type Me = Pick<MNode, 'name' | 'readOnly' | 'forceShare'>;

/** A reference names an existing node; a dict opens a new one that inherits from its parent (a backing: read-only). */
function openValue(d: Draft, v: JsonValue, p: Me, role: RoleSpec, opening: readonly string[]): Result<string> {
  const ref = typeof v === 'string' ? lookup(d, v) : undefined;
  if (ref !== undefined) return ref.ok ? ok(ref.value.name) : ref;
  if (!isObjectValue(v)) return fail('invalid-param', 'Invalid reference');
  return openNode(d, v, { parent: p.name, readOnly: role.kind === 'cow' || p.readOnly, forceShare: p.forceShare, opening });
}

const flag = (v: JsonValue | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export function openNode(d: Draft, args: JsonObject, inh?: Inherit): Result<string> {
  const driver = driverOf(str(args, 'driver') ?? '');
  if (driver?.open === undefined) return fail('invalid-param', `Unknown driver '${str(args, 'driver') ?? ''}'`);
  const given = str(args, 'node-name');
  // every child a parent opens from a nested dict defaults to discard=unmap (bdrv_inherited_options)
  const unmap = (str(args, 'discard') ?? (inh === undefined ? 'ignore' : 'unmap')) === 'unmap';
  const me: Me = { name: given ?? autoName(d), readOnly: flag(args['read-only']) ?? inh?.readOnly ?? false, forceShare: flag(args['force-share']) ?? inh?.forceShare ?? false };
  // a format node's `file` is opened (probed) before the node takes its name
  const probe = !driver.protocol && (typeof args['file'] === 'string' || isObjectValue(args['file'])) ? openValue(d, args['file'] ?? null, me, IMAGE, []) : ok(undefined);
  if (!probe.ok) return probe;
  const pre = seq(
    () => (me.forceShare && !me.readOnly ? fail('invalid-param', 'force-share=on can only be used with read-only images') : OK),
    () => (given === undefined ? OK : checkNodeName(d, given)),
    () => (args['detect-zeroes'] === 'unmap' && !unmap ? fail('invalid-param', 'detect-zeroes=unmap needs discard=unmap') : OK),
  );
  if (!pre.ok) return pre;
  // an inherited force-share lands in the child's own options (qdict_copy_default), so a reopen must restate it
  const opts = stripChildren(args);
  if (me.forceShare && args['force-share'] === undefined) opts['force-share'] = true;
  const node: MNode = { name: me.name, readOnly: me.readOnly, forceShare: me.forceShare, driver: driver.name, opts, owned: false, inheritsFrom: inh?.parent ?? null, implicit: false, size: undefined, unmap };
  d.nodes.push(node);
  const child = (key: string, role: RoleSpec, edge = key, v = args[key], opening: readonly string[] = []): Result => {
    const c = key === 'file' && probe.value !== undefined ? ok(probe.value) : v === undefined ? ok(undefined) : openValue(d, v, me, role, opening);
    if (!c.ok || c.value === undefined) return c.ok ? OK : c;
    const target = c.value;
    return seq(() => attach(d, me.name, target, edge, role), () => checkGraph(d, [me.name]));
  };
  const opened = driver.open({ d, node, args, opening: inh?.opening ?? [], child });
  // bdrv_open_driver: refresh_total_sectors
  node.size ??= driverLength(d, me.name);
  return opened.ok ? ok(me.name) : opened;
}
