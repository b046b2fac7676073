// Perms as QEMU prints them: bdrv_perm_names' text and x-debug-query-block-graph's order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_PERMS, NO_PERMS, PERMS, permSet } from '../../qmp/perm-set.ts';
import { permNames, permText, permsForQmp } from './perm.ts';

const anySet = fc.array(fc.constantFrom(...PERMS), { maxLength: 8 }).map((ps) => permSet(...ps));

describe('text and QMP orders', () => {
  it('names perms as bdrv_perm_names prints them, in bit order', () => {
    expect(permNames(ALL_PERMS)).toBe('consistent read, write, write unchanged, resize');
    expect(permNames(permSet('resize', 'write'))).toBe('write, resize');
    expect(permNames(permSet('write-unchanged', 'consistent-read'))).toBe('consistent read, write unchanged');
    expect(permNames(NO_PERMS)).toBe('');
    expect(PERMS.map(permText)).toEqual(['consistent read', 'write', 'write unchanged', 'resize']);
  });

  it('lists perms highest bit first for x-debug-query-block-graph', () => {
    expect(permsForQmp(ALL_PERMS)).toEqual(['resize', 'write-unchanged', 'write', 'consistent-read']);
    expect(permsForQmp(permSet('consistent-read', 'write'))).toEqual(['write', 'consistent-read']);
    fc.assert(
      fc.property(anySet, (a) => {
        const before = [...a];
        expect(permsForQmp(a)).toEqual([...a].reverse());
        expect(a).toEqual(before);
      }),
    );
  });
});
