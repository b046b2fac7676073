// The impl's word on itself that a comparison needs to recognise some 7.2 defects: read from its env in one place.
import { crashSite } from '../../qmp/crash.ts';
import type { ImplTarget } from '../run/impl-target.ts';
import type { ImplFacts } from './defect-context.ts';

export function implFacts(impl: ImplTarget): ImplFacts {
  const deferred = impl.env.deferredAbort;
  return { crashAfterReply: deferred === undefined ? undefined : crashSite(deferred) };
}
