// bdrv_open for blockdev-add and nested children: name, flags, driver open, then the backing file.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { driverByName } from '../drivers/registry.ts';
import { openBacking } from './open-backing.ts';
import type { BlockEnv } from './block-env.ts';
import type { BlockNode, DiscardMode, Edge } from './graph.ts';
import { addNode } from './graph-edit.ts';
import { BDRV_MAX_LENGTH, nodeLength } from './length.ts';
import { attachChild } from './attach.ts';
import { lookupBs } from './lookup.ts';
import type { OpenContext } from './open-context.ts';
import { ALL_PERMS, NO_PERMS } from '../../qmp/perm-set.ts';
import { fail, invariant, ok } from './result.ts';
import type { Result } from './result.ts';
import type { ChildRole } from './role.ts';
import { IMAGE } from './role.ts';
import type { Driver } from '../drivers/driver.ts';
import type { Transaction } from './transaction.ts';
import { nodeOptions } from './options.ts';
import { checkDetectZeroes, checkLeftoverOptions, discardOption } from './generic-options.ts';

/** Flags a nested child inherits from the parent that opens it (bdrv_inherited_options). */
export interface Inherited {
  readonly parent: BlockNode;
  readonly role: ChildRole;
  readonly readOnly: boolean;
  readonly forceShare: boolean;
  /** The default for a child's `discard`: the parent applies its own policy before a discard reaches the child. */
  readonly discard: DiscardMode;
}

const NODE_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function checkNodeName(env: BlockEnv, name: string): Result<void> {
  if (!NODE_NAME.test(name)) return fail('invalid-param', 'Invalid node-name: \'' + name + '\'');
  if (env.graph.nodes.has(name)) return fail('duplicate', `Duplicate nodes with node-name='${name}'`);
  if (name.length >= 32) return fail('invalid-param', 'Node name too long');
  return ok(undefined);
}

export function autoNodeName(env: BlockEnv): string {
  const n = env.graph.nextAutoName++;
  return `#block${String(n).padStart(3, '0')}`;
}

const bool = (v: JsonValue | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export function openNode(env: BlockEnv, tx: Transaction, args: JsonObject, inherited?: Inherited): Result<BlockNode> {
  const driver = driverByName(String(args['driver']));
  invariant(driver, `QAPI let an unknown driver through: ${String(args['driver'])}`);
  const given = args['node-name'];
  const readOnly = bool(args['read-only']) ?? inherited?.readOnly ?? false;
  const forceShare = bool(args['force-share']) ?? inherited?.forceShare ?? false;
  const node = newNode(env, driver, typeof given === 'string' ? given : autoNodeName(env), args, inherited, readOnly, forceShare);
  // an inherited force-share lands in the child's own options (qdict_copy_default), so reopens must restate it
  if (forceShare && args['force-share'] === undefined) node.options = { ...node.options, 'force-share': true };
  const ctx = openContext(env, tx, node, args);
  // bdrv_open_inherit opens a format node's `file` (for probing) before the node gets its name.
  const file = args['file'];
  if (!driver.isProtocol && (typeof file === 'string' || (typeof file === 'object' && file !== null && !Array.isArray(file)))) {
    const pre = openChildValue(ctx, file as JsonObject | string, IMAGE);
    if (!pre.ok) return pre;
    ctx.preopened.set('file', pre.value);
  }
  // bdrv_open_common: force-share is checked before the node gets its name
  if (forceShare && !readOnly) return fail('invalid-param', 'force-share=on can only be used with read-only images');
  if (typeof given === 'string') {
    const c = checkNodeName(env, given);
    if (!c.ok) return c;
  }
  const discard = discardOption(args);
  if (!discard.ok) return discard;
  node.discard = discard.value ?? inherited?.discard ?? 'ignore';
  const dz = checkDetectZeroes(args, node.discard);
  if (!dz.ok) return dz;
  addNode(tx, env.graph, node);
  const r = driver.open(ctx, args);
  if (!r.ok) return r;
  // bdrv_open_driver: refresh_total_sectors refuses a length past BDRV_MAX_LENGTH (a null-co near INT64_MAX)
  if (nodeLength(node) > BDRV_MAX_LENGTH) return fail('invalid-param', 'Could not refresh total sector count: File too large');
  if (driver.supportsBacking) {
    const b = openBacking(env, tx, node, args['backing'], (v, role) => openChildValue(ctx, v, role));
    if (!b.ok) return b;
  }
  const left = checkLeftoverOptions(driver, args);
  if (!left.ok) return left;
  return ok(node);
}

/** A fresh, unattached node record (bdrv_new). */
export function newNode(
  env: BlockEnv,
  driver: Driver,
  name: string,
  args: JsonObject,
  inherited: Inherited | undefined,
  readOnly: boolean,
  forceShare: boolean,
): BlockNode {
  return {
    id: env.graph.nextId++,
    name,
    autoNamed: typeof args['node-name'] !== 'string',
    driver,
    readOnly,
    options: nodeOptions(args, env.behaviour.quirks.has('stale-child-options')),
    children: [],
    parents: [],
    monitorOwned: false,
    inheritsFrom: inherited?.parent ?? null,
    forceShare,
    size: 0,
    filename: undefined,
    backingFile: undefined,
    backingFormat: undefined,
    autoBackingFile: undefined,
    locked: { perm: NO_PERMS, shared: ALL_PERMS },
    state: driver.newState(),
    driverGone: false,
    discard: 'ignore',
    optionsOldestFirst: false,
    blockedFor: undefined,
    implicit: false,
    closed: false,
  };
}

/** Opens a child for `parent` outside of its own open (a backing file opened later). */
export function openChildFrom(env: BlockEnv, tx: Transaction, parent: BlockNode, value: JsonObject | string, role: ChildRole): Result<BlockNode> {
  return openChildValue(openContext(env, tx, parent, {}), value, role);
}

function openChildValue(ctx: OpenContext, value: JsonObject | string, role: ChildRole): Result<BlockNode> {
  if (typeof value === 'string') return lookupBs(ctx.env, value, value);
  const parent = ctx.node;
  const cow = role.kind === 'cow';
  return openNode(ctx.env, ctx.tx, value, {
    parent,
    role,
    readOnly: cow ? true : parent.readOnly,
    forceShare: parent.forceShare,
    // bdrv_inherited_options sets it for every child, whatever its role or parent (measured on 7.2.22)
    discard: 'unmap',
  });
}

function openContext(env: BlockEnv, tx: Transaction, node: BlockNode, args: JsonObject): OpenContext & { preopened: Map<string, BlockNode> } {
  const preopened = new Map<string, BlockNode>();
  const ctx = {
    env,
    tx,
    node,
    preopened,
    openChild(key: string, role: ChildRole, name = key): Result<Edge | undefined> {
      const pre = preopened.get(key);
      if (pre) return attachChild(env, tx, node, pre, name, role);
      const v = args[key];
      if (v === undefined || v === null) return ok(undefined);
      return ctx.openChildFrom(v as JsonObject | string, role, name);
    },
    openChildFrom(value: JsonObject | string, role: ChildRole, name: string): Result<Edge> {
      const child = openChildValue(ctx, value, role);
      if (!child.ok) return child;
      return attachChild(env, tx, node, child.value, name, role);
    },
  };
  return ctx;
}
