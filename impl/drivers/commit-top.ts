// commit_top: the filter an intermediate commit puts above `top`; it takes and blocks nothing.
import { ALL_PERMS, NO_PERMS } from '../../qmp/perm-set.ts';
import { OK } from '../core/result.ts';
import type { Driver } from './driver.ts';

export const commitTop = Object.freeze<Driver<'commit_top'>>({
  name: 'commit_top',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [],
  newState: () => ({ driver: 'commit_top' }),
  open: () => OK,
  childPerm: () => ({ perm: NO_PERMS, shared: ALL_PERMS }),
});
