// A small QAPI schema language: enough to validate QMP arguments with QEMU's own error wording.
import { PERMS } from '../../qmp/perm-set.ts';

export type QapiType =
  | { readonly kind: 'str' }
  | { readonly kind: 'int' }
  | { readonly kind: 'uint64' }
  | { readonly kind: 'uint32' }
  | { readonly kind: 'size' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'any' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly of: QapiType }
  | { readonly kind: 'struct'; readonly members: readonly QapiMember[] }
  /** str (reference) or a nested BlockdevOptions dict; `nullable` adds JSON null (BlockdevRefOrNull). */
  | { readonly kind: 'blockdev-ref'; readonly nullable: boolean };

export interface QapiMember {
  readonly name: string;
  readonly type: QapiType;
  readonly optional?: boolean;
}

export const str: QapiType = { kind: 'str' };
export const int: QapiType = { kind: 'int' };
export const uint64: QapiType = { kind: 'uint64' };
export const uint32: QapiType = { kind: 'uint32' };
export const size: QapiType = { kind: 'size' };
export const bool: QapiType = { kind: 'bool' };
export const any: QapiType = { kind: 'any' };
export const blockdevRef: QapiType = { kind: 'blockdev-ref', nullable: false };
export const blockdevRefOrNull: QapiType = { kind: 'blockdev-ref', nullable: true };

export function enumOf(...values: string[]): QapiType {
  return { kind: 'enum', values };
}

export function listOf(of: QapiType): QapiType {
  return { kind: 'list', of };
}

export function struct(...members: QapiMember[]): QapiType {
  return { kind: 'struct', members };
}

export function req(name: string, type: QapiType): QapiMember {
  return { name, type };
}

export function opt(name: string, type: QapiType): QapiMember {
  return { name, type, optional: true };
}

export const BLOCK_PERMISSION = enumOf(...PERMS);
export const ON_OFF_AUTO = enumOf('auto', 'on', 'off');
