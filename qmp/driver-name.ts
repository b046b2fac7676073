// Block driver names (QEMU's format_name) the project speaks about: those blockdev-add accepts, and the filters block
// jobs insert, which queries show but blockdev-add refuses.

export const USER_DRIVER_NAMES = ['file', 'null-co', 'raw', 'qcow2', 'throttle', 'copy-on-read', 'blkdebug', 'blkverify', 'quorum'] as const;
export type UserDriverName = (typeof USER_DRIVER_NAMES)[number];

export const JOB_FILTER_NAMES = ['mirror_top', 'commit_top'] as const;
export type JobFilterName = (typeof JOB_FILTER_NAMES)[number];

export type DriverName = UserDriverName | JobFilterName;

export function isUserDriverName(name: string): name is UserDriverName {
  return (USER_DRIVER_NAMES as readonly string[]).includes(name);
}
