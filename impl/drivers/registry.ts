// The drivers this impl knows, by QEMU format_name.
import { blkdebug } from './blkdebug.ts';
import { blkverify } from './blkverify.ts';
import { copyOnRead } from './copy-on-read.ts';
import type { Driver, DriverName } from './driver.ts';
import { file } from './file.ts';
import { nullCo } from './null-co.ts';
import { qcow2 } from './qcow2.ts';
import { quorum } from './quorum.ts';
import { raw } from './raw.ts';
import { throttle } from './throttle.ts';

/** Drivers blockdev-add accepts. mirror_top/commit_top are internal and created by jobs only. */
export const USER_DRIVERS: readonly Driver[] = [file, nullCo, raw, qcow2, throttle, copyOnRead, blkdebug, blkverify, quorum];

const byName = new Map<string, Driver>(USER_DRIVERS.map((d) => [d.name, d]));

export function driverByName(name: string): Driver | undefined {
  return byName.get(name);
}

export function registerInternalDriver(d: Driver): void {
  byName.set(d.name, d);
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

export type { DriverName };
