// Everything a qemu-storage-daemon holds besides the graph: images, QOM objects, NBD exports.
import type { ImageStore } from '../images/image-store.ts';
import type { Backend, BlockNode, Graph } from './graph.ts';
import { emptyGraph } from './graph.ts';
import { EventSink } from './events.ts';
import type { BlockJob } from '../jobs/job.ts';
import { QEMU_7_2 } from '../behaviour.ts';
import type { Behaviour } from '../behaviour.ts';
import type { Death } from './deaths.ts';
import type { DrainCounters } from './drain-counters.ts';
import { Sha256Memo } from '../../qmp/runs-sha256.ts';

export interface ThrottleGroup {
  readonly id: string;
  /** Nodes whose throttle filter uses this group (object-del refuses while any do). */
  users: number;
}

export interface BlockExport {
  readonly id: string;
  /** The NBD export name (defaults to the node name). */
  readonly name: string;
  readonly nodeName: string;
  readonly backend: Backend;
  readonly writable: boolean;
}

export interface BlockEnv {
  readonly graph: Graph;
  readonly images: ImageStore;
  readonly throttleGroups: Map<string, ThrottleGroup>;
  readonly exports: Map<string, BlockExport>;
  /** Block jobs by id, newest first (QEMU's job list). */
  readonly jobs: Map<string, BlockJob>;
  readonly events: EventSink;
  /** Quirks and fixes switched on; empty sets behave as QEMU 7.2. */
  readonly behaviour: Behaviour;
  nbdServerRunning: boolean;
  /** A job's background work kills QEMU right after the command replies: the next command finds it dead. */
  dyingAfterReply: Death | undefined;
  /** A job's exit runs (job_exit, a main-loop bottom half in QEMU): no monitor command is current, so error_report
   * names the program. */
  inJobExit: boolean;
  /** What QEMU printed on stderr without dying (qcow2 corruption notices): an abort's stderr starts with it. */
  stderrLog: string;
  /** The drain counters of the subtree-drained section under way (a blockdev-reopen's), followed by every edge change. */
  drainedSection: DrainCounters | undefined;
  /** How deep header-named backing files are being opened inside each other (open-backing.ts). */
  headerOpenDepth: number;
  /** qcow2 nodes whose s->data_file dangles (a failed reopen freed it): driver state no rollback restores and no
   * query shows, until the node is used (qcow2.ts). */
  readonly danglingDataFile: WeakSet<BlockNode>;
  /** Checksum observations' hashes by content (shared with the model's side of a comparison, which hashes the same). */
  readonly checksums: Sha256Memo;
}

export function newBlockEnv(images: ImageStore, behaviour: Behaviour = QEMU_7_2, checksums = new Sha256Memo()): BlockEnv {
  return {
    graph: emptyGraph(),
    images,
    throttleGroups: new Map(),
    exports: new Map(),
    jobs: new Map(),
    events: new EventSink(),
    behaviour,
    nbdServerRunning: false,
    dyingAfterReply: undefined,
    inJobExit: false,
    stderrLog: '',
    drainedSection: undefined,
    headerOpenDepth: 0,
    danglingDataFile: new WeakSet(),
    checksums,
  };
}
