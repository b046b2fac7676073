// Helpers shared by driver open hooks.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockNode } from '../core/graph.ts';
import { ALL_PERMS, NO_PERMS } from '../core/perm.ts';

export const SECTOR = 512;

export function roundUpToSector(n: number): number {
  return Math.ceil(n / SECTOR) * SECTOR;
}

export function intArg(args: JsonObject, key: string): number | undefined {
  const v: JsonValue | undefined = args[key];
  return typeof v === 'number' ? v : undefined;
}

export function strArg(args: JsonObject, key: string): string | undefined {
  const v = args[key];
  return typeof v === 'string' ? v : undefined;
}

export function boolArg(args: JsonObject, key: string): boolean | undefined {
  const v = args[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** The edge a filter passes I/O through (bdrv_filter_child). */
export function filteredChild(n: BlockNode): BlockNode | undefined {
  return n.children.find((e) => e.role.kind === 'filtered')?.child;
}

/** The child that stores this node's data for header/size purposes (bs->file, else filtered). */
export function fileChild(n: BlockNode): BlockNode | undefined {
  return n.children.find((e) => e.name === 'file')?.child ?? filteredChild(n);
}

export const UNLOCKED = Object.freeze({ perm: NO_PERMS, shared: ALL_PERMS });
