// A segfault the impl decides where it knows why: QEMU prints nothing, but the death carries its cause, so one defect
// met at many commands signs once (properties/run/finding.ts). A segfault decided without one is DEATHS.segfault.
import type { SegfaultCause } from '../../qmp/crash.ts';
import type { Death } from './deaths.ts';

export function segfaultOf(cause: SegfaultCause): Death {
  return { site: { kind: 'silent', cause }, text: '', signal: 'SIGSEGV' };
}
