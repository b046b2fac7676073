// The argument check every QEMU run passes first: what users read when a fixture would reach outside its sandbox.
import { isRecord } from '../../qmp/json-value.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { JsonObject, QmpCommand } from '../../qmp/types.ts';
import { COMMAND_PATHS, PathCheck, anyHostPaths } from './command-paths.ts';
import type { UnsafeArgument } from './command-paths.ts';
import { isPlainFileName, whyNotPlain } from './plain-name.ts';
import { QEMU_NAMES, TOOL_QUERIES, isKnownCommand } from './vocabulary.ts';

export type { UnsafeArgument } from './command-paths.ts';

export interface SafetyOptions {
  /** Send commands, drivers and object types QEMU has but the tool does not model (the filesystem sandbox still holds). */
  readonly allowUnknownCommands?: boolean;
}

export type SafetyVerdict = { readonly ok: true } | { readonly ok: false; readonly problems: readonly UnsafeArgument[] };

/** One command's problems, each `at` relative to the command (`arguments.target`). */
export function commandProblems(cmd: QmpCommand, opts: SafetyOptions = {}): UnsafeArgument[] {
  const c = new PathCheck(opts.allowUnknownCommands === true);
  const args: JsonObject = isRecord(cmd.arguments) ? (cmd.arguments as JsonObject) : {};
  if (isKnownCommand(cmd.execute)) COMMAND_PATHS[cmd.execute](c, args);
  else if (TOOL_QUERIES.includes(cmd.execute)) return [];
  else if (QEMU_NAMES.commands.includes(cmd.execute)) {
    c.unknown('execute', `command '${cmd.execute}'`);
    anyHostPaths(c, args, 'arguments');
  }
  // a name no QEMU has is answered "command not found" and goes no further
  return c.problems;
}

/** An image is created by qemu-img, which opens its backing file by name. */
export function imageProblems(spec: ImageSpec): UnsafeArgument[] {
  return [spec.filename, spec.backing ?? '']
    .map((name, i) => ({ name, at: i === 0 ? 'filename' : 'backing' }))
    .filter(({ name }) => !isPlainFileName(name))
    .map(({ name, at }) => ({ at, message: whyNotPlain(name) }));
}

/** The whole scenario, before anything runs: `at` is `images[0].backing` or `commands[3].arguments.target`. */
export function checkScenarioForQemu(s: Scenario, opts: SafetyOptions = {}): SafetyVerdict {
  const problems = [
    ...s.images.flatMap((im, i) => imageProblems(im).map((p) => ({ at: `images[${i}].${p.at}`, message: p.message }))),
    ...s.commands.flatMap((cmd, i) => commandProblems(cmd, opts).map((p) => ({ at: `commands[${i}].${p.at}`, message: `${cmd.execute}: ${p.message}` }))),
  ];
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** `FILE: unsafe for QEMU: scenario.commands[3].arguments.target: drive-mirror: "/x" names a path; …` */
export function describeUnsafe(source: string, v: Extract<SafetyVerdict, { ok: false }>, prefix = 'scenario.'): string {
  const first = v.problems[0];
  const more = v.problems.length > 1 ? ` (and ${v.problems.length - 1} more)` : '';
  return `${source}: unsafe for QEMU, not run: ${prefix}${first?.at ?? ''}: ${first?.message ?? ''}${more}`;
}

/** A command that reaches QEMU without the check having passed is a bug in the tool. */
export class UnsafeCommandError extends Error {}
