// mirror_top and commit_top: the filters block jobs put above their source (never created by blockdev-add).
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

export const mirrorTop: Driver = {
  name: 'mirror_top',
  ...filterOver('backing'),
  ruleFacts: (n) => ({ mirrorMode: n.mirror?.stopping === true ? 'stopping' : n.mirror?.commit === true ? 'commit' : 'mirror' }),
};

export const commitTop: Driver = { name: 'commit_top', ...filterOver('backing') };
