// x-blockdev-change: add or remove a quorum child (qmp_x_blockdev_change).
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { lookupBs } from '../core/lookup.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { opt, req, str } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

const SCHEMA = [req('parent', str), opt('child', str), opt('node', str)];

export function xBlockdevChange(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const parentName = String(args['parent']);
  const found = lookupBs(env, parentName, parentName);
  if (!found.ok) return found;
  const parent = found.value;
  const child = typeof args['child'] === 'string' ? args['child'] : undefined;
  const nodeName = typeof args['node'] === 'string' ? args['node'] : undefined;
  if ((child === undefined) === (nodeName === undefined)) {
    return fail('invalid-param', child !== undefined ? 'The parameters child and node are in conflict' : 'Either child or node must be specified');
  }
  if (child !== undefined) {
    const edge = parent.children.find((e) => e.name === child);
    if (!edge) return fail('not-found', `Node '${parentName}' does not have child '${child}'`);
    const del = parent.driver.delChild;
    if (!del) return fail('unsupported', `The node ${parent.name} does not support removing a child`);
    return inTransaction((tx) => del(env, tx, parent, edge));
  }
  const newNode = env.graph.nodes.get(nodeName ?? '');
  if (!newNode) return fail('not-found', `Node '${nodeName}' not found`);
  const add = parent.driver.addChild;
  if (!add) return fail('unsupported', `The node ${parent.name} does not support adding a child`);
  if (newNode.parents.length > 0) return fail('in-use', `The node ${newNode.name} already has a parent`);
  return inTransaction((tx) => add(env, tx, parent, newNode));
}
