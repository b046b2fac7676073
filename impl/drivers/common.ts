// Helpers shared by driver open hooks.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockNode } from '../core/graph.ts';
import { ALL_PERMS, NO_PERMS } from '../../qmp/perm-set.ts';

export const SECTOR = 512;

export function roundUpToSector(n: number): number {
  return Math.ceil(n / SECTOR) * SECTOR;
}

/** An integer option as a JS number (an int64 beyond 2^53 arrives as a bigint and is rounded here). */
export function intArg(args: JsonObject, key: string): number | undefined {
  const v: JsonValue | undefined = args[key];
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** An integer option's digits as given (exact beyond 2^53, where intArg rounds), for messages that echo it. */
export function intArgText(args: JsonObject, key: string): string | undefined {
  const v = args[key];
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
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
