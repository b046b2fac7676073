// The errno values job runs end with and the strerror() text QEMU shows for each.
export const ECANCELED = -125;
export const EPERM = -1;
export const EINVAL = -22;
export const EIO = -5;
export const ENOMEDIUM = -123;

/** strerror() texts QEMU shows for job errors. */
export function strerror(errno: number): string {
  switch (errno) {
    case ECANCELED:
      return 'Operation canceled';
    case EPERM:
      return 'Operation not permitted';
    case EINVAL:
      return 'Invalid argument';
    case EIO:
      return 'Input/output error';
    case ENOMEDIUM:
      return 'No medium found';
    default:
      return `Unknown error ${-errno}`;
  }
}
