// A scenario's image, as `qemu-img create` is asked for it (../shared/scenario-format.md).

export interface ImageSpec {
  readonly filename: string;
  readonly format: 'qcow2' | 'raw';
  readonly size: number;
  readonly backing?: string;
  readonly backing_fmt?: string;
  readonly cluster_size?: number;
}
