// The perm algebra: set operations, canonical order, the perms a QMP list names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMS,
  NO_PERMS,
  PERMS,
  hasPerm,
  intersect,
  isSubset,
  minus,
  permSet,
  permSetsEqual,
  permsNamed,
  union,
} from './perm-set.ts';
import type { Perm, PermSet } from './perm-set.ts';

// Any subset of the four perms, given in any order and with repeats, so canonicalisation is exercised too.
const anyPerms = fc.array(fc.constantFrom(...PERMS), { maxLength: 8 });
const anySet = anyPerms.map((ps) => permSet(...ps));

// An oracle on plain JS sets, independent of canon().
const asSet = (s: PermSet): Set<Perm> => new Set(s);
const sorted = (s: Iterable<Perm>): Perm[] => PERMS.filter((p) => new Set(s).has(p));

describe('permSet', () => {
  it('keeps QEMU bit order and drops duplicates', () => {
    expect(permSet('resize', 'consistent-read', 'resize', 'write')).toEqual(['consistent-read', 'write', 'resize']);
    expect(permSet()).toEqual([]);
  });

  it('is canonical: equal contents give equal arrays whatever the input order', () => {
    fc.assert(
      fc.property(anyPerms, (ps) => {
        expect(permSet(...ps)).toEqual(sorted(ps));
        expect(permSet(...[...ps].reverse())).toEqual(permSet(...ps));
      }),
    );
  });

  it('ALL_PERMS and NO_PERMS are the full and empty sets in order', () => {
    expect(ALL_PERMS).toEqual(['consistent-read', 'write', 'write-unchanged', 'resize']);
    expect(NO_PERMS).toEqual([]);
    expect(Object.isFrozen(ALL_PERMS) && Object.isFrozen(NO_PERMS)).toBe(true);
  });
});

describe('set operations', () => {
  it('union, intersect and minus agree with set semantics and stay canonical', () => {
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        const sa = asSet(a);
        const sb = asSet(b);
        expect(union(a, b)).toEqual(sorted([...sa, ...sb]));
        expect(intersect(a, b)).toEqual(sorted([...sa].filter((p) => sb.has(p))));
        expect(minus(a, b)).toEqual(sorted([...sa].filter((p) => !sb.has(p))));
      }),
    );
  });

  it('examples', () => {
    const rw = permSet('consistent-read', 'write');
    const ws = permSet('write', 'resize');
    expect(union(rw, ws)).toEqual(['consistent-read', 'write', 'resize']);
    expect(intersect(rw, ws)).toEqual(['write']);
    expect(minus(rw, ws)).toEqual(['consistent-read']);
    expect(minus(ws, rw)).toEqual(['resize']);
  });

  it('form a boolean lattice: commutative, associative, absorptive, distributive', () => {
    fc.assert(
      fc.property(anySet, anySet, anySet, (a, b, c) => {
        expect(union(a, b)).toEqual(union(b, a));
        expect(intersect(a, b)).toEqual(intersect(b, a));
        expect(union(a, union(b, c))).toEqual(union(union(a, b), c));
        expect(intersect(a, intersect(b, c))).toEqual(intersect(intersect(a, b), c));
        expect(union(a, intersect(a, b))).toEqual(a);
        expect(intersect(a, union(a, b))).toEqual(a);
        expect(intersect(a, union(b, c))).toEqual(union(intersect(a, b), intersect(a, c)));
        expect(union(a, intersect(b, c))).toEqual(intersect(union(a, b), union(a, c)));
      }),
    );
  });

  it('has NO_PERMS and ALL_PERMS as bounds and minus as relative complement', () => {
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        expect(union(a, NO_PERMS)).toEqual(a);
        expect(intersect(a, ALL_PERMS)).toEqual(a);
        expect(union(a, ALL_PERMS)).toEqual(ALL_PERMS);
        expect(intersect(a, NO_PERMS)).toEqual(NO_PERMS);
        expect(union(a, a)).toEqual(a);
        expect(minus(a, b)).toEqual(intersect(a, minus(ALL_PERMS, b)));
        expect(intersect(minus(a, b), b)).toEqual(NO_PERMS);
        expect(union(minus(a, b), intersect(a, b))).toEqual(a);
        // De Morgan inside ALL_PERMS
        expect(minus(ALL_PERMS, union(a, b))).toEqual(intersect(minus(ALL_PERMS, a), minus(ALL_PERMS, b)));
      }),
    );
  });

  it('does not mutate its inputs', () => {
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        const [ca, cb] = [[...a], [...b]];
        union(a, b);
        intersect(a, b);
        minus(a, b);
        expect([a, b]).toEqual([ca, cb]);
      }),
    );
  });
});

describe('isSubset, permSetsEqual, hasPerm', () => {
  it('isSubset is the lattice order', () => {
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        expect(isSubset(a, b)).toBe([...a].every((p) => b.includes(p)));
        expect(isSubset(a, b)).toBe(permSetsEqual(union(a, b), b));
        expect(isSubset(a, b)).toBe(permSetsEqual(intersect(a, b), a));
        expect(isSubset(minus(a, b), a)).toBe(true);
        expect(isSubset(NO_PERMS, a) && isSubset(a, ALL_PERMS)).toBe(true);
      }),
    );
  });

  it('isSubset is antisymmetric: mutual subsets are equal', () => {
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        expect(isSubset(a, b) && isSubset(b, a)).toBe(permSetsEqual(a, b));
      }),
    );
    expect(isSubset(permSet('write'), permSet('consistent-read', 'write'))).toBe(true);
    expect(isSubset(permSet('resize'), permSet('consistent-read', 'write'))).toBe(false);
  });

  it('permSetsEqual ignores element order but not contents', () => {
    expect(permSetsEqual(['write', 'consistent-read'], ['consistent-read', 'write'])).toBe(true);
    expect(permSetsEqual(['write'], ['write', 'resize'])).toBe(false);
    expect(permSetsEqual(NO_PERMS, ['resize'])).toBe(false);
  });

  it('hasPerm is membership', () => {
    fc.assert(
      fc.property(anySet, fc.constantFrom(...PERMS), (a, p) => {
        expect(hasPerm(a, p)).toBe(asSet(a).has(p));
      }),
    );
  });
});

describe('permsNamed', () => {
  it('takes exactly the QAPI BlockPermission names of a list, in bit order', () => {
    expect(permsNamed(['resize', 'graph-mod', 'consistent read', 'Write', '', 'resize ', 1, null, 'write'])).toEqual(['write', 'resize']);
    expect(permsNamed([...PERMS].reverse())).toEqual(ALL_PERMS);
    expect(permsNamed('write')).toEqual(NO_PERMS);
    expect(permsNamed(undefined)).toEqual(NO_PERMS);
  });
});
