// The drivers this impl knows, by QEMU format_name: one for each name blockdev-add takes (qmp/driver-name.ts).
import { isUserDriverName } from '../../qmp/driver-name.ts';
import type { UserDriverName } from '../../qmp/driver-name.ts';
import { blkdebug } from './blkdebug.ts';
import { blkverify } from './blkverify.ts';
import { copyOnRead } from './copy-on-read.ts';
import type { Driver } from './driver.ts';
import { file } from './file.ts';
import { nullCo } from './null-co.ts';
import { qcow2 } from './qcow2.ts';
import { quorum } from './quorum.ts';
import { raw } from './raw.ts';
import { throttle } from './throttle.ts';

/** Drivers blockdev-add accepts. mirror_top/commit_top are internal and created by jobs only. */
const USER_DRIVERS = {
  file,
  'null-co': nullCo,
  raw,
  qcow2,
  throttle,
  'copy-on-read': copyOnRead,
  blkdebug,
  blkverify,
  quorum,
} as const satisfies { readonly [N in UserDriverName]: Driver<N> };

export function driverByName(name: string): Driver | undefined {
  return isUserDriverName(name) ? USER_DRIVERS[name] : undefined;
}

/** QEMU 7.2's BlockdevDriver enum (Debian build); the ones we do not implement are refused as unsupported. */
export const QAPI_DRIVER_NAMES: readonly string[] = [
  'blkdebug', 'blklogwrites', 'blkreplay', 'blkverify', 'bochs', 'cloop', 'compress', 'copy-before-write',
  'copy-on-read', 'dmg', 'file', 'snapshot-access', 'ftp', 'ftps', 'gluster', 'host_cdrom', 'host_device',
  'http', 'https', 'io_uring', 'iscsi', 'luks', 'nbd', 'nfs', 'null-aio', 'null-co', 'nvme', 'nvme-io_uring',
  'parallels', 'preallocate', 'qcow', 'qcow2', 'qed', 'quorum', 'raw', 'rbd', 'replication', 'ssh',
  'throttle', 'vdi', 'vhdx', 'virtio-blk-vfio-pci', 'virtio-blk-vhost-user', 'virtio-blk-vhost-vdpa',
  'vmdk', 'vpc', 'vvfat',
];
