// A QMP monitor on a byte stream, indistinguishable from qemu-storage-daemon's for its commands and for bad input.
import { checkCapabilities, checkRequest } from './dispatch-check.ts';
import { qmpJson } from './json-text.ts';
import { JsonStream } from './json-stream.ts';
import { isRecord } from './json-value.ts';
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
  | { readonly kind: 'qemu-abort'; readonly stderr: string }
  /** QEMU loops for good: no reply, no exit, and nothing read is ever answered again. */
  | { readonly kind: 'qemu-hang' };

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

/** The request's id, when it has one (a JSON null counts: QEMU echoes it). */
type Id = { readonly id?: JsonValue };

export class QmpMonitor {
  private readonly stream = new JsonStream();
  private negotiated = false;
  private oob = false;
  private done = false;
  private stuck = false;

  constructor(private readonly backend: MonitorBackend, private readonly io: MonitorIo) {
    io.out(qmpJson(QEMU_GREETING));
  }

  /** True once a command hung QEMU: the monitor answers nothing more, as QEMU's starved main loop does not. */
  get hung(): boolean {
    return this.stuck;
  }

  /** Bytes (or text, sent as UTF-8) from the client; answers go to io.out as they are decided. */
  feed(chunk: string | Uint8Array): void {
    if (this.done) return;
    for (const item of this.stream.feed(chunk)) {
      if (this.done) return;
      if (item.kind === 'error') this.replyError({}, 'GenericError', item.message);
      else this.handle(item.value);
    }
  }

  private replyError(id: Id, cls: QmpErrorClass, desc: string): void {
    this.io.out(qmpJson({ error: { class: cls, desc }, ...id }));
  }

  private reply(id: Id, value: JsonValue): void {
    this.io.out(qmpJson({ return: value, ...id }));
  }

  private handle(v: JsonValue): void {
    if (!isRecord(v)) return this.replyError({}, 'GenericError', 'QMP input must be a JSON object');
    const req = v as Readonly<Record<string, JsonValue>>;
    const id: Id = Object.hasOwn(req, 'id') ? { id: req['id'] ?? null } : {};
    const checked = checkRequest(req, this.oob);
    if (!checked.ok) return this.replyError(id, 'GenericError', checked.message);
    const { name, args } = checked;
    if (!this.negotiated) {
      // before negotiation every other command is "not found", which QEMU rewords
      if (name !== 'qmp_capabilities') return this.replyError(id, 'CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
      const caps = checkCapabilities(args);
      if (!caps.ok) return this.replyError(id, 'GenericError', caps.message);
      this.negotiated = true;
      this.oob = caps.oob;
      return this.reply(id, {});
    }
    if (checked.oob) return this.replyError(id, 'GenericError', `The command ${name} does not support OOB`);
    if (name === 'qmp_capabilities') {
      // a real command here too: its arguments are visited before it says negotiation is over
      const caps = checkCapabilities(args);
      return this.replyError(id, caps.ok ? 'CommandNotFound' : 'GenericError', caps.ok ? 'Capabilities negotiation is already complete, command ignored' : caps.message);
    }
    if (name === 'quit') {
      this.reply(id, {});
      this.done = true;
      return this.io.exit(0);
    }
    const outcome = this.backend.execute(name, args);
    if (outcome.kind === 'qemu-hang') {
      this.done = true;
      this.stuck = true;
      return;
    }
    if (outcome.kind === 'qemu-abort') {
      this.done = true;
      this.io.err(outcome.stderr);
      return this.io.exit(134);
    }
    for (const e of outcome.events) this.io.out(qmpJson({ timestamp: this.io.now(), event: e.event, data: e.data }));
    const r = outcome.result;
    if (r.ok) this.reply(id, r.value);
    else this.replyError(id, r.error.errorClass, r.error.message);
  }
}
