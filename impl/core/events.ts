// QMP events the impl emits (job state changes, export deletion), collected per command.
import type { JsonObject } from '../../qmp/types.ts';

export interface EmittedEvent {
  readonly event: string;
  readonly data: JsonObject;
}

export class EventSink {
  private readonly pending: EmittedEvent[] = [];

  emit(event: string, data: JsonObject): void {
    this.pending.push({ event, data });
  }

  drain(): EmittedEvent[] {
    return this.pending.splice(0);
  }
}
