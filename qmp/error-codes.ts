// Error codes shared by every target that has them (impl, model): targets agree on the code, messages are for humans.
// A code names why QEMU refused, not its text: block_resize's op blocker says "Device 'x' is in use" but is `busy`.

export const ERROR_CODES = [
  /** Malformed or inconsistent arguments, option values or sizes (also a writer without resize on an unaligned size). */
  'invalid-param',
  /** A node, job, export, object, or the NBD server the command needs does not exist (any more). */
  'not-found',
  /** A node name, job id, export id or name, or object id is already taken. */
  'duplicate',
  /** Two parents' perms, or two file nodes' image locks, are incompatible. */
  'perm-conflict',
  /** A writer on a read-only node or image. */
  'read-only',
  /** The change would make the graph cyclic. */
  'cycle',
  /** Still used: the node has parents or BlockBackends, the object a user; the NBD server is already running. */
  'in-use',
  /** An op blocker refuses (backing file, block job, a mirror's `replaces`). */
  'busy',
  /** A frozen link (running job, copy-on-read `bottom`) would change. */
  'frozen',
  /** The driver or feature cannot do it at all (ENOTSUP). */
  'unsupported',
  /** The image cannot be read or its size refreshed. */
  'io-error',
  /** The job's status does not accept the verb. */
  'job-state',
  'command-not-found',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
