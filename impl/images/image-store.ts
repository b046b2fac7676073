// Image files as the block layer sees them: protocol length plus a format header.

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

export interface ImageFile {
  readonly filename: string;
  /** Byte length of the file on the protocol level. */
  readonly length: number;
  readonly header: Qcow2Header | RawHeader;
}

/** Read side is the working directory (disk) or a scenario's image list (memory); writes stay in memory. */
export interface ImageStore {
  read(filename: string): ImageFile | undefined;
  write(file: ImageFile): void;
}

/** The scenario format's image description lives with the shared vocabulary. */
export type { ImageSpec } from '../../qmp/image-spec.ts';
