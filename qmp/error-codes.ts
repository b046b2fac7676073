// Error codes shared by every target that has them (impl, model): targets agree on the code, messages are for humans.

export const ERROR_CODES = [
  'invalid-param',
  'not-found',
  'duplicate',
  'perm-conflict',
  'read-only',
  'cycle',
  'in-use',
  'busy',
  'frozen',
  'unsupported',
  'io-error',
  'job-state',
  'command-not-found',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
