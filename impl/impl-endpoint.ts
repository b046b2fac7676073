// The impl as an in-process QMP endpoint: the same monitor as `bgcheck qmp`, without a process.
import { parseQmpLine } from '../qmp/json-stream.ts';
import { wireJson } from '../qmp/json/wire-text.ts';
import { QmpMonitor } from '../qmp/monitor.ts';
import type { JsonObject, QmpCommand, QmpEvent, QmpEndpoint, QmpOutcome, QmpReply } from '../qmp/types.ts';
import { BlockLayer } from './block-layer.ts';
import { monitorBackend } from './monitor-backend.ts';
import type { ImageStore } from './images/image-store.ts';
import { QEMU_7_2 } from './behaviour.ts';
import type { Behaviour } from './behaviour.ts';

export class ImplEndpoint implements QmpEndpoint {
  readonly layer: BlockLayer;
  private readonly monitor: QmpMonitor;
  private lines: string[] = [];
  private stderr = '';
  private exited = false;
  private events: QmpEvent[] = [];

  constructor(images: ImageStore, behaviour: Behaviour = QEMU_7_2) {
    this.layer = new BlockLayer(images, behaviour);
    this.monitor = new QmpMonitor(monitorBackend(this.layer), {
      out: (line) => void this.lines.push(line),
      err: (text) => void (this.stderr += text),
      exit: () => void (this.exited = true),
      now: () => ({ seconds: 0, microseconds: 0 }),
    });
    this.executeSync({ execute: 'qmp_capabilities' });
    this.lines = [];
  }

  /** Runs one command to completion; the impl never needs to wait. */
  executeSync(cmd: QmpCommand): QmpOutcome {
    if (this.exited) return this.lost();
    this.lines = [];
    this.monitor.feed(wireJson(cmd) + '\n');
    let reply: QmpReply | undefined;
    for (const line of this.lines) {
      const parsed = parseQmpLine(line);
      if (!parsed.ok) throw new Error(`the monitor wrote a line QEMU's parser refuses: ${parsed.message}`);
      const msg = parsed.value as JsonObject;
      if ('event' in msg) this.events.push(msg as unknown as QmpEvent);
      else if ('QMP' in msg) continue;
      else reply = msg as unknown as QmpReply;
    }
    if (this.exited && (reply === undefined || cmd.execute !== 'quit')) return this.lost();
    // in process there is nothing to wait for: a hung QEMU is known at once
    if (this.monitor.hung) return this.hangs(cmd);
    if (reply === undefined) throw new Error(`monitor gave no reply to ${cmd.execute}`);
    return reply;
  }

  execute(cmd: QmpCommand): Promise<QmpOutcome> {
    return Promise.resolve(this.executeSync(cmd));
  }

  drainEvents(): QmpEvent[] {
    return this.events.splice(0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private hangs(cmd: QmpCommand): QmpOutcome {
    return { lost: { kind: 'qemu-hang', message: `QEMU 7.2 hangs: no reply to ${cmd.execute}`, stderr: this.stderr } };
  }

  private lost(): QmpOutcome {
    return { lost: { kind: 'qemu-crash', message: `QMP peer closed; stderr: ${this.stderr.slice(-2000)}`, stderr: this.stderr } };
  }
}
