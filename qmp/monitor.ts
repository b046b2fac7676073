// A QMP monitor on a byte stream, indistinguishable from qemu-storage-daemon's for its commands.
import { qmpJson } from './json-text.ts';
import { JsonStream } from './json-stream.ts';
import type { JsonObject, JsonValue, QmpErrorClass } from './types.ts';

export const QEMU_GREETING = {
  // QAPI member order (major, minor, micro): QDict ties within a hash bucket print newest first
  QMP: { version: { qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' }, capabilities: ['oob'] },
};

export type BackendOutcome =
  | {
      readonly kind: 'reply';
      readonly result: { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: { readonly message: string; readonly errorClass: QmpErrorClass } };
      readonly events: readonly { readonly event: string; readonly data: JsonObject }[];
    }
  | { readonly kind: 'qemu-abort'; readonly stderr: string };

export interface MonitorBackend {
  execute(name: string, args: JsonObject): BackendOutcome;
}

export interface MonitorIo {
  out(line: string): void;
  err(text: string): void;
  /** Ends the process: 0 after quit, 134 (SIGABRT) when QEMU would have aborted. */
  exit(code: number): void;
  now(): { seconds: number; microseconds: number };
}

const ALLOWED_KEYS = ['execute', 'arguments', 'id', 'exec-oob', 'control'];

export class QmpMonitor {
  private readonly stream = new JsonStream();
  private negotiated = false;
  private done = false;

  constructor(private readonly backend: MonitorBackend, private readonly io: MonitorIo) {
    io.out(qmpJson(QEMU_GREETING));
  }

  feed(chunk: string): void {
    for (const item of this.stream.feed(chunk)) {
      if (this.done) return;
      if (item.kind === 'error') this.replyError(undefined, 'GenericError', item.message);
      else this.handle(item.value);
    }
  }

  private replyError(id: unknown, cls: QmpErrorClass, desc: string): void {
    this.io.out(qmpJson({ error: { class: cls, desc }, id }));
  }

  private handle(v: unknown): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.replyError(undefined, 'GenericError', 'QMP input must be a JSON object');
    const cmd = v as Record<string, unknown>;
    const id = cmd['id'];
    const extra = Object.keys(cmd).find((k) => !ALLOWED_KEYS.includes(k));
    if (extra !== undefined) return this.replyError(id, 'GenericError', `QMP input member '${extra}' is unexpected`);
    const name = cmd['execute'];
    if (name === undefined) return this.replyError(id, 'GenericError', "QMP input lacks member 'execute'");
    if (typeof name !== 'string') return this.replyError(id, 'GenericError', "QMP input member 'execute' must be a string");
    const args = cmd['arguments'] ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return this.replyError(id, 'GenericError', "QMP input member 'arguments' must be an object");
    }
    if (!this.negotiated) {
      if (name !== 'qmp_capabilities') return this.replyError(id, 'CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
      this.negotiated = true;
      return this.io.out(qmpJson({ return: {}, id }));
    }
    if (name === 'qmp_capabilities') return this.replyError(id, 'CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
    if (name === 'quit') {
      this.io.out(qmpJson({ return: {}, id }));
      this.done = true;
      return this.io.exit(0);
    }
    const outcome = this.backend.execute(name, args as JsonObject);
    if (outcome.kind === 'qemu-abort') {
      this.done = true;
      this.io.err(outcome.stderr);
      return this.io.exit(134);
    }
    for (const e of outcome.events) this.io.out(qmpJson({ timestamp: this.io.now(), event: e.event, data: e.data }));
    const r = outcome.result;
    if (r.ok) this.io.out(qmpJson({ return: r.value, id }));
    else this.replyError(id, r.error.errorClass, r.error.message);
  }
}
