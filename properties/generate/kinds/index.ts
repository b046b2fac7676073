// Every command kind the fuzzer knows; a new command is one file plus one line here.
import type { CommandKind } from '../command-kind.ts';
import { addBlkdebug } from './add-blkdebug.ts';
import { addBlkverify } from './add-blkverify.ts';
import { addCopyOnRead } from './add-copy-on-read.ts';
import { addFile } from './add-file.ts';
import { addNullCo } from './add-null-co.ts';
import { addQcow2 } from './add-qcow2.ts';
import { addQuorum } from './add-quorum.ts';
import { addRaw } from './add-raw.ts';
import { addThrottle } from './add-throttle.ts';
import { blockResize } from './block-resize.ts';
import { blockdevDel } from './blockdev-del.ts';
import { blockdevReopen } from './blockdev-reopen.ts';
import { exportAdd } from './export-add.ts';
import { exportDel } from './export-del.ts';
import { nbdServerStart } from './nbd-server-start.ts';
import { objectAdd } from './object-add.ts';
import { objectDel } from './object-del.ts';
import { xBlockdevChange } from './x-blockdev-change.ts';
import { blockCommit } from './block-commit.ts';
import { blockStream } from './block-stream.ts';
import { blockdevMirror } from './blockdev-mirror.ts';
import { blockdevSnapshot } from './blockdev-snapshot.ts';
import { jobCancel, jobComplete, jobDismiss, jobFinalize, jobPause, jobResume } from './job-verbs.ts';
import { observeBlockStatus, observeChecksum } from './observe.ts';

export const COMMAND_KINDS: readonly CommandKind[] = [
  addFile,
  addNullCo,
  addRaw,
  addQcow2,
  addThrottle,
  addCopyOnRead,
  addBlkdebug,
  addBlkverify,
  addQuorum,
  blockdevDel,
  blockdevReopen,
  blockResize,
  nbdServerStart,
  exportAdd,
  exportDel,
  objectAdd,
  objectDel,
  xBlockdevChange,
  blockStream,
  blockCommit,
  blockdevMirror,
  blockdevSnapshot,
  jobComplete,
  jobCancel,
  jobFinalize,
  jobDismiss,
  jobPause,
  jobResume,
  observeBlockStatus,
  observeChecksum,
];

/** Kinds that create nodes: a swarm without any of them would only ever see an empty graph. */
export const NODE_MAKERS: readonly string[] = ['blockdev-add:file', 'blockdev-add:null-co'];
