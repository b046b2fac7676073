// What the tool knows (the impl's commands and drivers) and what QEMU acts on (its schema), for the argument check.
import { readFileSync } from 'node:fs';
import { BLOCK_COMMAND_NAMES, MONITOR_COMMAND_NAMES } from '../../qmp/command-name.ts';
import type { QmpCommandName } from '../../qmp/command-name.ts';
import { USER_DRIVER_NAMES } from '../../qmp/driver-name.ts';

/** The commands the project speaks (qmp/command-name.ts: the impl serves them, the monitor answers the rest). */
export const KNOWN_COMMANDS: readonly QmpCommandName[] = [...MONITOR_COMMAND_NAMES, ...BLOCK_COMMAND_NAMES];
export type KnownCommand = QmpCommandName;

/** Drivers blockdev-add takes in the impl (qmp/driver-name.ts). */
export const KNOWN_DRIVERS: readonly string[] = USER_DRIVER_NAMES;

/** Read-only queries bgcheck itself sends to read a build (its version, the graph view); no argument names a file. */
export const TOOL_QUERIES: readonly string[] = ['query-version', 'query-block-exports', 'qom-list'];

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
