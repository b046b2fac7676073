// Every driver the model knows, by name.
import { blkdebug } from './blkdebug.ts';
import { blkverify } from './blkverify.ts';
import { copyOnRead } from './copy-on-read.ts';
import type { Driver, DriverName, Drivers } from './driver.ts';
import { file } from './file.ts';
import { commitTop, mirrorTop } from './job-filters.ts';
import { nullCo } from './null-co.ts';
import { qcow2 } from './qcow2.ts';
import { quorum } from './quorum.ts';
import { raw } from './raw.ts';
import { throttle } from './throttle.ts';

export const DRIVERS: Drivers = {
  ...{ file, 'null-co': nullCo, raw, qcow2, throttle, 'copy-on-read': copyOnRead, blkdebug, blkverify, quorum },
  ...{ mirror_top: mirrorTop, commit_top: commitTop },
};

export const driverFacts = (name: DriverName): Driver => DRIVERS[name];
export const driverOf = (name: string): Driver | undefined => (Object.hasOwn(DRIVERS, name) ? DRIVERS[name as DriverName] : undefined);
