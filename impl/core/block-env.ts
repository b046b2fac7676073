// Everything a qemu-storage-daemon holds besides the graph: images, QOM objects, NBD exports.
import type { ImageStore } from '../images/image-store.ts';
import type { Backend, Graph } from './graph.ts';
import { emptyGraph } from './graph.ts';

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
  nbdServerRunning: boolean;
}

export function newBlockEnv(images: ImageStore): BlockEnv {
  return { graph: emptyGraph(), images, throttleGroups: new Map(), exports: new Map(), nbdServerRunning: false };
}
