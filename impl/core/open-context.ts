// What a driver's open hook may do: read its arguments and open/attach children (bdrv_open_child).
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from './block-env.ts';
import type { BlockNode, Edge } from './graph.ts';
import type { Result } from './result.ts';
import type { ChildRole } from './role.ts';
import type { Transaction } from './transaction.ts';

export interface OpenContext {
  readonly env: BlockEnv;
  readonly tx: Transaction;
  readonly node: BlockNode;
  /** Opens the reference or nested dict under `key` and attaches it as `name` (default: key). */
  openChild(key: string, role: ChildRole, name?: string): Result<Edge | undefined>;
  /** Opens a child from an explicit value (quorum's list items). */
  openChildFrom(value: JsonObject | string, role: ChildRole, name: string): Result<Edge>;
}
