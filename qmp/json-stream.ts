// Splits a QMP byte stream into JSON values the way QEMU's json-streamer does, at any chunking.

export type StreamItem = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'error'; readonly message: string };

const STRUCTURAL = new Set(['{', '}', '[', ']', ',', ':']);

export class JsonStream {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;

  /** Feeds more input; returns every complete value (or parse error) it ends. */
  feed(chunk: string): StreamItem[] {
    const out: StreamItem[] = [];
    for (const ch of chunk) {
      if (this.scalar) {
        if (/\s/.test(ch) || STRUCTURAL.has(ch)) {
          out.push(this.finishScalar());
          if (/\s/.test(ch)) continue;
        } else {
          this.buf += ch;
          continue;
        }
      }
      if (this.depth === 0 && this.buf === '') {
        if (/\s/.test(ch)) continue;
        if (ch === '{' || ch === '[') {
          this.buf = ch;
          this.depth = 1;
          continue;
        }
        if (ch === '}' || ch === ']') {
          out.push({ kind: 'error', message: 'JSON parse error, expecting value' });
          continue;
        }
        this.buf = ch;
        this.scalar = true;
        this.inString = ch === '"';
        continue;
      }
      this.buf += ch;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (ch === '\\') this.escape = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        this.depth--;
        if (this.depth === 0) out.push(this.finishValue());
      }
    }
    return out;
  }

  private finishValue(): StreamItem {
    const text = this.buf;
    this.buf = '';
    try {
      return { kind: 'value', value: JSON.parse(text) };
    } catch {
      return { kind: 'error', message: 'JSON parse error, expecting value' };
    }
  }

  private finishScalar(): StreamItem {
    const text = this.buf;
    this.buf = '';
    this.scalar = false;
    this.inString = false;
    try {
      return { kind: 'value', value: JSON.parse(text) };
    } catch {
      return { kind: 'error', message: `JSON parse error, invalid keyword '${text}'` };
    }
  }
}
