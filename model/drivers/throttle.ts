// throttle: a filter over `file` that names a throttle-group object, which must exist and stays in use.
import type { JsonObject } from '../../qmp/types.ts';
import { str } from '../graph.ts';
import { FILTERED } from '../perm-rules.ts';
import { OK, fail, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { ModelState } from '../state.ts';
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

const groupExists = (s: ModelState, o: JsonObject): Result =>
  s.groups.includes(str(o, 'throttle-group') ?? '') ? OK : fail('not-found', `Throttle group '${str(o, 'throttle-group') ?? ''}' does not exist`);

export const throttle: Driver = {
  name: 'throttle',
  open: (c) => seq(() => c.child('file', FILTERED), () => groupExists(c.d, c.args)),
  recheck: (s, _, opts) => groupExists(s, opts),
  reopenMutable: ['throttle-group'],
  ...filterOver('file'),
  usesGroup: (n, group) => n.opts['throttle-group'] === group,
};
