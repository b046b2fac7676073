// The QMP wire vocabulary shared by every target (impl, model, real QEMU).
import type { QmpDouble } from './json/qnum.ts';

/**
 * A JSON value as QEMU parses it: a `number` is an integer exact in JS (or, from older code, any double), a `bigint`
 * an int64/uint64 beyond 2^53, a `QmpDouble` a number QEMU reads as a double (qmp/json/qnum.ts).
 */
export type JsonValue = null | boolean | number | bigint | QmpDouble | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export type JsonObject = { readonly [k: string]: JsonValue };

export interface QmpCommand {
  readonly execute: string;
  /** Any JSON, as on the wire: QEMU's refusal of a non-object ('must be an object') is compared too. */
  readonly arguments?: JsonValue;
  readonly id?: JsonValue;
}

export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound' | 'KVMMissingCap';

export interface QmpError {
  readonly class: QmpErrorClass;
  readonly desc: string;
}

export type QmpReply =
  | { readonly return: JsonValue; readonly id?: JsonValue }
  | { readonly error: QmpError; readonly id?: JsonValue };

export interface QmpEvent {
  readonly event: string;
  readonly data?: JsonObject;
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
}

export function isErrorReply(r: QmpReply): r is { readonly error: QmpError; readonly id?: JsonValue } {
  return 'error' in r;
}

/** A QMP peer: the impl in-process, or a qemu-storage-daemon over stdio. */
export interface QmpEndpoint {
  /** Sends one command and resolves with its reply (or a lost peer); events seen meanwhile go to drainEvents(). */
  execute(cmd: QmpCommand): Promise<QmpOutcome>;
  drainEvents(): QmpEvent[];
  close(): Promise<void>;
}

/** Why a peer stopped answering: it died (`qemu-crash`) or missed a reply deadline (`qemu-hang`). */
export interface PeerLost {
  readonly kind: 'qemu-crash' | 'qemu-hang';
  /** The text qmprun.py reports, e.g. `QMP peer closed; stderr: …`. */
  readonly message: string;
  readonly stderr: string;
  /** The signal that ended the process, where known (SIGABRT, SIGSEGV; SIGKILL for a hang we killed). */
  readonly signal?: string | null;
}

/** What an endpoint answers: a QMP reply, or the news that the peer is gone (never thrown). */
export type QmpOutcome = QmpReply | { readonly lost: PeerLost };

export function isPeerLost(r: QmpOutcome): r is { readonly lost: PeerLost } {
  return 'lost' in r;
}
