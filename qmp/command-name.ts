// QMP command names the project speaks (the impl serves them, the generators send them, QEMU answers them).

/** Commands the monitor answers itself, before any block layer sees them. */
export const MONITOR_COMMAND_NAMES = ['qmp_capabilities', 'quit'] as const;

/** Job verbs, in query-jobs' and block-job's spellings. */
export const JOB_COMMAND_NAMES = [
  'job-complete',
  'job-cancel',
  'job-finalize',
  'job-dismiss',
  'job-pause',
  'job-resume',
  'block-job-complete',
  'block-job-cancel',
  'block-job-pause',
  'block-job-resume',
  'block-job-set-speed',
  'block-job-finalize',
  'block-job-dismiss',
] as const;

/** What a block layer executes (the monitor hands it everything else). */
export const BLOCK_COMMAND_NAMES = [
  'blockdev-add',
  'blockdev-del',
  'blockdev-reopen',
  'block_resize',
  'object-add',
  'object-del',
  'nbd-server-start',
  'block-export-add',
  'block-export-del',
  'x-blockdev-change',
  'query-named-block-nodes',
  'x-debug-query-block-graph',
  'query-jobs',
  'query-block-jobs',
  'block-commit',
  'block-stream',
  'blockdev-mirror',
  'blockdev-snapshot',
  'drive-mirror',
  ...JOB_COMMAND_NAMES,
] as const;

export type MonitorCommandName = (typeof MONITOR_COMMAND_NAMES)[number];
export type JobCommandName = (typeof JOB_COMMAND_NAMES)[number];
export type BlockCommandName = (typeof BLOCK_COMMAND_NAMES)[number];
export type QmpCommandName = MonitorCommandName | BlockCommandName;

const BLOCK_COMMANDS: ReadonlySet<string> = new Set(BLOCK_COMMAND_NAMES);

export function isBlockCommandName(name: string): name is BlockCommandName {
  return BLOCK_COMMANDS.has(name);
}
