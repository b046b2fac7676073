// Image files as the block layer sees them: protocol length plus a format header (and guest data, guest-data.ts).
import type { GuestData } from './guest-data.ts';

export interface Qcow2Header {
  readonly kind: 'qcow2';
  readonly virtualSize: number;
  readonly clusterSize: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
}

export interface RawHeader {
  readonly kind: 'raw';
}

/** A qcow2 header that a shrinking truncate cut short: qcow2_do_open rejects it with `message`. */
export interface BrokenQcow2Header {
  readonly kind: 'broken-qcow2';
  readonly message: string;
  /** qcow2_probe only needs the magic and a version of at least 2. */
  readonly probesAsQcow2: boolean;
}

export interface ImageFile {
  readonly filename: string;
  /** Byte length of the file on the protocol level. */
  readonly length: number;
  readonly header: Qcow2Header | RawHeader | BrokenQcow2Header;
  /** L1 indexes whose L2 table a zero write allocated (fresh images have none), in allocation order. */
  readonly l2Tables?: readonly number[];
  /** Guest cluster indexes a data write allocated; each took the next free cluster after the L2 tables before it. */
  readonly dataClusters?: readonly number[];
  /** What the guest reads (writes at creation, jobs' copies); absent: as qemu-img created it. */
  readonly guest?: GuestData;
  /** A write allocated a qcow2 cluster it did not cover: the rest was zeroed with fallocate, leaving holes in the
   * host file the impl does not place (block status of the file read as raw is then not modelled). */
  readonly partialClusters?: true;
  /** The guest wrote into the image after it was created (a job, a copy-on-read): which host clusters those writes
   * took, in which order, is not followed. */
  readonly rewritten?: true;
  /** A truncate cut or grew a file whose host layout is not a raw guest's: nothing is written past this offset (a
   * grown file's tail is a hole, ftruncate writes nothing); absent: written up to its length. */
  readonly writtenEnd?: number;
}

/** Read side is the working directory (disk) or a scenario's image list (memory); writes stay in memory. */
export interface ImageStore {
  read(filename: string): ImageFile | undefined;
  write(file: ImageFile): void;
}

/** The scenario format's image description lives with the shared vocabulary. */
export type { ImageSpec } from '../../qmp/image-spec.ts';
