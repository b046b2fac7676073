// Reads a stream line by line with per-read deadlines, so a silent peer becomes a typed timeout.
import type { Readable } from 'node:stream';

export type LineRead = { readonly kind: 'line'; readonly line: string } | { readonly kind: 'eof' } | { readonly kind: 'timeout' };

export class LineReader {
  private buf = '';
  private readonly lines: string[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (s: string) => {
      this.buf += s;
      const parts = this.buf.split('\n');
      this.buf = parts.pop() ?? '';
      // Python's text mode reads \r\n as \n
      for (const p of parts) this.lines.push(p.endsWith('\r') ? p.slice(0, -1) : p);
      this.notify();
    });
    const end = (): void => {
      if (this.ended) return;
      if (this.buf !== '') this.lines.push(this.buf);
      this.buf = '';
      this.ended = true;
      this.notify();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  /** The next line, `eof` once the stream ended and all lines were read, or `timeout` after timeoutMs. */
  async next(timeoutMs: number): Promise<LineRead> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return { kind: 'line', line };
      if (this.ended) return { kind: 'eof' };
      const left = deadline - performance.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private notify(): void {
    this.wake?.();
  }
}
