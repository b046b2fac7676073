// QEMU's JSON message splitter (qobject/json-streamer.c, 7.2): counts braces, enforces the limits, parses whole values.
import { JsonLexer, MAX_TOKEN_SIZE, TOKEN } from './lexer.ts';
import type { TokenType } from './lexer.ts';
import { parseTokens } from './parser.ts';
import type { Token } from './parser.ts';
import { decodeModUtf8 } from './mod-utf8.ts';
import type { JsonValue } from '../types.ts';

/** One parsed message: a value, or the error QEMU answers (without an id) instead. */
export type StreamItem = { readonly kind: 'value'; readonly value: JsonValue } | { readonly kind: 'error'; readonly message: string };

export const MAX_TOKEN_COUNT = 2 * 1024 * 1024;
export const MAX_NESTING = 1024;

/** Bytes as QEMU's C string prints them: up to the first NUL, invalid UTF-8 as U+FFFD. */
function cString(binary: string): string {
  const nul = binary.indexOf('\0');
  return decodeModUtf8(nul < 0 ? binary : binary.slice(0, nul)).text;
}

/** json_message_process_token plus json_lexer_feed: feed bytes, get every message they complete. */
export class JsonStreamer {
  /** `maxNesting`: QEMU's 1024 on the wire; a file that wraps commands in a few more levels may allow those. */
  constructor(private readonly maxNesting: number = MAX_NESTING) {}

  private readonly lexer = new JsonLexer((type, text) => this.token(type, text));
  private tokens: Token[] = [];
  private braces = 0;
  private brackets = 0;
  private size = 0;
  private out: StreamItem[] = [];

  feed(bytes: Uint8Array): StreamItem[] {
    this.lexer.feed(bytes);
    const done = this.out;
    this.out = [];
    return done;
  }

  private token(type: TokenType, text: string): void {
    if (type === TOKEN.LCURLY) this.braces++;
    else if (type === TOKEN.RCURLY) this.braces--;
    else if (type === TOKEN.LSQUARE) this.brackets++;
    else if (type === TOKEN.RSQUARE) this.brackets--;
    else if (type === TOKEN.ERROR) return this.emit({ kind: 'error', message: `JSON parse error, stray '${cString(text)}'` });
    // QEMU limits the memory one message may take and the recursion it may force
    if (this.size + text.length + 1 > MAX_TOKEN_SIZE) return this.emit({ kind: 'error', message: 'JSON token size limit exceeded' });
    if (this.tokens.length + 1 > MAX_TOKEN_COUNT) return this.emit({ kind: 'error', message: 'JSON token count limit exceeded' });
    if (this.braces + this.brackets > this.maxNesting) return this.emit({ kind: 'error', message: 'JSON nesting depth limit exceeded' });
    this.tokens.push({ type, text });
    this.size += text.length;
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;
    const r = parseTokens(this.tokens);
    this.emit(r.ok ? { kind: 'value', value: r.value } : { kind: 'error', message: r.message });
  }

  private emit(item: StreamItem): void {
    this.braces = 0;
    this.brackets = 0;
    this.tokens = [];
    this.size = 0;
    this.out.push(item);
  }
}
