// The impl's word on itself that a comparison needs to recognise some 7.2 defects, read from its target in one place.
import type { ImplTarget } from '../run/impl-target.ts';
import type { ImplFacts } from './defect-context.ts';

export const implFacts = (impl: ImplTarget): ImplFacts => ({ crashAfterReply: impl.crashAfterReply?.site, checksums: impl.checksums });
