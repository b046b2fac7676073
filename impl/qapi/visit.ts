// Validates JSON against a QapiType like QEMU's qobject input visitor (errors name the full path).
import { integerOf, isQmpDouble } from '../../qmp/json/qnum.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { QapiMember, QapiType } from './schema.ts';
import { firstLeftover } from '../../qmp/ghash-order.ts';
import { qdictOrder } from '../../qmp/qdict-order.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** Resolves the variant members of a flat union such as BlockdevOptions by its discriminator. */
export type VariantLookup = (obj: JsonObject, path: string) => Result<readonly QapiMember[]>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** qnum_get_try_int / qnum_get_try_uint, with negatives taken for uint64 as QEMU does "for backward compatibility". */
function inRange(v: JsonValue, min: bigint, max: bigint): boolean {
  const n = integerOf(v);
  return n !== undefined && n >= min && n <= max;
}

/** The input visitor recurses with the JSON; QEMU's parser stops JSON at 1024 levels, so no real input goes deeper. */
const MAX_DEPTH = 1024;

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

const typeError = (path: string, expected: string): Result<void> =>
  fail('invalid-param', `Invalid parameter type for '${path}', expected: ${expected}`);

export class QapiVisitor {
  private depth = 0;

  constructor(private readonly blockdevOptions: VariantLookup) {}

  /** Visits an object's members in order, then rejects leftovers (visit_check_struct). */
  visitMembers(obj: JsonObject, members: readonly QapiMember[], path: string): Result<void> {
    for (const m of members) {
      const v = obj[m.name];
      if (v === undefined) {
        if (m.optional) continue;
        return fail('invalid-param', `Parameter '${join(path, m.name)}' is missing`);
      }
      const r = this.visit(v, m.type, join(path, m.name), m.name);
      if (!r.ok) return r;
    }
    return OK;
  }

  /** visit_check_struct: the leftover QEMU names is the first its GHashTable of unvisited keys yields. */
  checkStruct(obj: JsonObject, members: readonly QapiMember[], path: string): Result<void> {
    const keys = Object.keys(obj);
    // the common case, every key a member: nothing is left over, no table to replay
    if (keys.every((k) => members.some((m) => m.name === k))) return OK;
    const consumed = members.map((m) => m.name).filter((k) => obj[k] !== undefined);
    const left = firstLeftover(qdictOrder(keys), consumed);
    return left === undefined ? OK : fail('invalid-param', `Parameter '${join(path, left)}' is unexpected`);
  }

  visitStruct(v: JsonValue, members: readonly QapiMember[], path: string): Result<void> {
    if (!isObjectValue(v)) return typeError(path, 'object');
    const r = this.visitMembers(v, members, path);
    return r.ok ? this.checkStruct(v, members, path) : r;
  }

  /** BlockdevOptions: base members, then the driver's variant, then one check of all keys. */
  visitBlockdevOptions(v: JsonValue, path: string): Result<void> {
    if (!isObjectValue(v)) return typeError(path, 'object');
    const members = this.blockdevOptions(v, path);
    if (!members.ok) return members;
    const r = this.visitMembers(v, members.value, path);
    return r.ok ? this.checkStruct(v, members.value, path) : r;
  }

  visit(v: JsonValue, t: QapiType, path: string, name: string | null): Result<void> {
    if (this.depth >= MAX_DEPTH) return fail('invalid-param', 'JSON nesting depth limit exceeded');
    this.depth++;
    try {
      return this.visitType(v, t, path, name);
    } finally {
      this.depth--;
    }
  }

  private visitType(v: JsonValue, t: QapiType, path: string, name: string | null): Result<void> {
    switch (t.kind) {
      case 'str':
        return typeof v === 'string' ? OK : typeError(path, 'string');
      case 'int':
        // JSON integers outside int64 are not integers to QEMU's parser
        return inRange(v, INT64_MIN, INT64_MAX) ? OK : typeError(path, 'integer');
      case 'uint64':
        return inRange(v, INT64_MIN, UINT64_MAX) ? OK : fail('invalid-param', `Parameter '${path}' expects uint64`);
      case 'size':
        return inRange(v, 0n, UINT64_MAX) ? OK : fail('invalid-param', `Parameter '${path}' expects size`);
      case 'uint32':
        // visit_type_uintN: parsed as uint64 (negatives wrap), then range-checked under the bare name
        if (!inRange(v, INT64_MIN, UINT64_MAX)) return fail('invalid-param', `Parameter '${path}' expects uint64`);
        return inRange(v, 0n, 0xffffffffn) ? OK : fail('invalid-param', `Parameter '${name ?? 'null'}' expects uint32_t`);
      case 'number':
        return typeof v === 'number' || typeof v === 'bigint' || isQmpDouble(v) ? OK : typeError(path, 'number');
      case 'bool':
        return typeof v === 'boolean' ? OK : typeError(path, 'boolean');
      case 'any':
        return OK;
      case 'enum':
        if (typeof v !== 'string') return typeError(path, 'string');
        // QEMU names enum errors by the bare member name ('null' inside lists), not the full path
        return t.values.includes(v) ? OK : fail('invalid-param', `Parameter '${name ?? 'null'}' does not accept value '${v}'`);
      case 'list': {
        if (!Array.isArray(v)) return typeError(path, 'array');
        const items = v as readonly JsonValue[];
        for (let i = 0; i < items.length; i++) {
          const r = this.visit(items[i]!, t.of, `${path}[${i}]`, null);
          if (!r.ok) return r;
        }
        return OK;
      }
      case 'struct':
        return this.visitStruct(v, t.members, path);
      case 'blockdev-ref':
        if (typeof v === 'string') return OK;
        if (v === null && t.nullable) return OK;
        if (isObjectValue(v)) return this.visitBlockdevOptions(v, path);
        return typeError(name ?? 'null', t.nullable ? 'BlockdevRefOrNull' : 'BlockdevRef');
    }
  }
}
