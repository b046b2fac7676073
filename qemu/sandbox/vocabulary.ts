// What the tool knows (the impl's commands and drivers) and what QEMU acts on (its schema), for the argument check.
import { readFileSync } from 'node:fs';

/** Commands the impl implements (impl/commands/dispatch.ts), plus the monitor's own; a test keeps them equal. */
export const KNOWN_COMMANDS = [
  'qmp_capabilities', 'quit', 'blockdev-add', 'blockdev-del', 'blockdev-reopen', 'block_resize', 'object-add', 'object-del',
  'nbd-server-start', 'block-export-add', 'block-export-del', 'x-blockdev-change', 'query-named-block-nodes',
  'x-debug-query-block-graph', 'query-jobs', 'query-block-jobs', 'block-commit', 'block-stream', 'blockdev-mirror',
  'blockdev-snapshot', 'drive-mirror', 'job-complete', 'job-cancel', 'job-finalize', 'job-dismiss', 'job-pause',
  'job-resume', 'block-job-complete', 'block-job-cancel', 'block-job-finalize', 'block-job-dismiss', 'block-job-pause',
  'block-job-resume', 'block-job-set-speed',
] as const;
export type KnownCommand = (typeof KNOWN_COMMANDS)[number];

/** Drivers blockdev-add accepts in the impl (impl/drivers/registry.ts USER_DRIVERS). */
export const KNOWN_DRIVERS: readonly string[] = ['file', 'null-co', 'raw', 'qcow2', 'throttle', 'copy-on-read', 'blkdebug', 'blkverify', 'quorum'];

export const KNOWN_OBJECT_TYPES: readonly string[] = ['throttle-group'];
export const KNOWN_EXPORT_TYPES: readonly string[] = ['nbd'];

interface QemuNames {
  readonly commands: readonly string[];
  readonly drivers: readonly string[];
  readonly objectTypes: readonly string[];
  readonly exportTypes: readonly string[];
  readonly socketTypes: readonly string[];
}

/** Names QEMU 7.2 and 10.0.2 act on (query-commands, query-qmp-schema); other names QEMU's schema check refuses. */
export const QEMU_NAMES: QemuNames = JSON.parse(readFileSync(new URL('./qemu-names.json', import.meta.url), 'utf8')) as QemuNames;

export function isKnownCommand(name: string): name is KnownCommand {
  return (KNOWN_COMMANDS as readonly string[]).includes(name);
}
