// Every driver the model knows, by name.
import type { Driver, DriverName, Drivers } from './driver.ts';
import { blkdebug, blkverify, commitTop, copyOnRead, mirrorTop, throttle } from './filters.ts';
import { file, nullCo } from './protocols.ts';
import { qcow2 } from './qcow2.ts';
import { quorum, raw } from './formats.ts';

export const DRIVERS: Drivers = {
  ...{ file, 'null-co': nullCo, raw, qcow2, throttle, 'copy-on-read': copyOnRead, blkdebug, blkverify, quorum },
  ...{ mirror_top: mirrorTop, commit_top: commitTop },
};

export const driverFacts = (name: DriverName): Driver => DRIVERS[name];
export const driverOf = (name: string): Driver | undefined => (Object.hasOwn(DRIVERS, name) ? DRIVERS[name as DriverName] : undefined);
