// throttle: a filter whose I/O limits come from a throttle-group object (object-add).
import { OK, fail } from '../core/result.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, req, str } from '../qapi/schema.ts';
import { strArg } from './common.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import { filteredLength } from '../core/length.ts';

export const throttle = Object.freeze<Driver<'throttle'>>({
  name: 'throttle',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('throttle-group', str), req('file', blockdevRef)],
  newState: () => ({ driver: 'throttle', group: '' }),
  open(ctx, args) {
    const e = ctx.openChild('file', FILTERED_PRIMARY);
    if (!e.ok) return e;
    const name = strArg(args, 'throttle-group') ?? '';
    const group = ctx.env.throttleGroups.get(name);
    if (!group) return fail('not-found', `Throttle group '${name}' does not exist`);
    ctx.tx.set(group, 'users', group.users + 1);
    stateOf(ctx.node, 'throttle').group = name;
    ctx.node.size = filteredLength(ctx.node);
    return OK;
  },
  length: filteredLength,
  reopen: {
    mutableOptions: ['throttle-group'],
    prepare(env, _node, options) {
      const name = String(options['throttle-group'] ?? '');
      return env.throttleGroups.has(name) ? OK : fail('not-found', `Throttle group '${name}' does not exist`);
    },
    commit(env, tx, node, options) {
      const s = stateOf(node, 'throttle');
      const from = env.throttleGroups.get(s.group);
      const to = env.throttleGroups.get(String(options['throttle-group']));
      if (from) tx.set(from, 'users', from.users - 1);
      if (to) tx.set(to, 'users', to.users + 1);
      tx.set(s, 'group', String(options['throttle-group']));
    },
  },
  onClose(env, tx, node) {
    const group = env.throttleGroups.get(stateOf(node, 'throttle').group);
    if (group) tx.set(group, 'users', group.users - 1);
  },
});
