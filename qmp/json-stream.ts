// Splits a QMP byte stream into JSON values exactly as QEMU's json-streamer does (qmp/json/), at any chunking.
import { JsonStreamer } from './json/streamer.ts';
import type { StreamItem } from './json/streamer.ts';
import type { JsonValue } from './types.ts';

export type { StreamItem } from './json/streamer.ts';

const utf8 = new TextEncoder();

export class JsonStream {
  private readonly streamer: JsonStreamer;

  constructor(maxNesting?: number) {
    this.streamer = new JsonStreamer(maxNesting);
  }

  /** Feeds more input (text is sent as UTF-8); returns every complete value (or QEMU's parse error) it ends. */
  feed(chunk: string | Uint8Array): StreamItem[] {
    return this.streamer.feed(typeof chunk === 'string' ? utf8.encode(chunk) : chunk);
  }
}

/** The one JSON value of a text, read as QEMU reads it (exact integers, doubles kept as doubles). */
export function parseJsonValue(text: string | Uint8Array, maxNesting?: number): { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string } {
  const stream = new JsonStream(maxNesting);
  // a number at the very end waits for its delimiter, as in QEMU: give it one
  const items = [...stream.feed(text), ...stream.feed('\n')];
  const first = items[0];
  if (first === undefined) return { ok: false, message: 'JSON parse error, premature EOI' };
  if (first.kind === 'error') return { ok: false, message: first.message };
  if (items.length > 1) return { ok: false, message: 'JSON parse error, more than one value' };
  return { ok: true, value: first.value };
}

/**
 * One line QEMU (or the monitor) wrote: QEMU prints a non-finite double as C does (`inf`, `-inf`), which no JSON
 * parser reads, so those tokens are read back as the doubles they were.
 */
export function parseQmpLine(line: string): ReturnType<typeof parseJsonValue> {
  const v = parseJsonValue(line);
  if (v.ok || !/inf/.test(line)) return v;
  return parseJsonValue(line.replace(/(?<=[:,] |\[)(-?)inf(?=[,\]}])/g, '$11e999'));
}
