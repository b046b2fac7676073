// QEMU's JSON lexer (qobject/json-lexer.c, 7.2) as its state table, over bytes, so errors and recovery match.
// Token text is kept as a "binary string": one char per input byte (latin1), decoded later by the parser.

export const TOKEN = {
  ERROR: 0,
  LCURLY: 100,
  RCURLY: 101,
  LSQUARE: 102,
  RSQUARE: 103,
  COLON: 104,
  COMMA: 105,
  INTEGER: 106,
  FLOAT: 107,
  KEYWORD: 108,
  STRING: 109,
} as const;

/** A token type, or (for a token cut at MAX_TOKEN_SIZE) the lexer state it was cut in, as QEMU passes it on. */
export type TokenType = number;

/** QEMU cuts any single token at 64 MiB. */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;

const IN_RECOVERY = 1;
const IN_DQ_STRING_ESCAPE = 2;
const IN_DQ_STRING = 3;
const IN_SQ_STRING_ESCAPE = 4;
const IN_SQ_STRING = 5;
const IN_ZERO = 6;
const IN_EXP_DIGITS = 7;
const IN_EXP_SIGN = 8;
const IN_EXP_E = 9;
const IN_MANTISSA = 10;
const IN_MANTISSA_DIGITS = 11;
const IN_DIGITS = 12;
const IN_SIGN = 13;
const IN_KEYWORD = 14;
const IN_START = 15;
const STATES = 16;
const LOOKAHEAD = 0x80;

type Row = (state: number, set: (from: number, to: number, next: number) => void) => void;

const c = (s: string): number => s.charCodeAt(0);

/** Every transition QEMU's table lists; anything else is JSON_ERROR (0), consuming the byte. */
const ROWS: readonly Row[] = [
  (s, set) => {
    if (s !== IN_RECOVERY) return;
    // skip until a structural character, a control character other than tab, or the impossible bytes 0xFE/0xFF
    set(0x00, 0x1f, IN_START | LOOKAHEAD);
    set(0x20, 0xfd, IN_RECOVERY);
    set(0xfe, 0xff, IN_START | LOOKAHEAD);
    set(c('\t'), c('\t'), IN_RECOVERY);
    for (const ch of '[]{}:,') set(c(ch), c(ch), IN_START | LOOKAHEAD);
  },
  (s, set) => {
    const [escape, string, quote] = s === IN_DQ_STRING || s === IN_DQ_STRING_ESCAPE ? [IN_DQ_STRING_ESCAPE, IN_DQ_STRING, '"'] : [IN_SQ_STRING_ESCAPE, IN_SQ_STRING, "'"];
    if (s === IN_DQ_STRING_ESCAPE || s === IN_SQ_STRING_ESCAPE) set(0x20, 0xfd, string);
    if (s === IN_DQ_STRING || s === IN_SQ_STRING) {
      set(0x20, 0xfd, string);
      set(c('\\'), c('\\'), escape);
      set(c(quote), c(quote), TOKEN.STRING);
    }
  },
  (s, set) => {
    const digits = (next: number): void => set(c('0'), c('9'), next);
    const terminal = (t: number): void => set(0x00, 0xff, t | LOOKAHEAD);
    if (s === IN_ZERO) (terminal(TOKEN.INTEGER), set(c('0'), c('9'), TOKEN.ERROR), set(c('.'), c('.'), IN_MANTISSA));
    if (s === IN_EXP_DIGITS) (terminal(TOKEN.FLOAT), digits(IN_EXP_DIGITS));
    if (s === IN_EXP_SIGN) digits(IN_EXP_DIGITS);
    if (s === IN_EXP_E) (set(c('-'), c('-'), IN_EXP_SIGN), set(c('+'), c('+'), IN_EXP_SIGN), digits(IN_EXP_DIGITS));
    if (s === IN_MANTISSA_DIGITS) (terminal(TOKEN.FLOAT), digits(IN_MANTISSA_DIGITS), set(c('e'), c('e'), IN_EXP_E), set(c('E'), c('E'), IN_EXP_E));
    if (s === IN_MANTISSA) digits(IN_MANTISSA_DIGITS);
    if (s === IN_DIGITS) {
      terminal(TOKEN.INTEGER);
      digits(IN_DIGITS);
      for (const e of 'eE') set(c(e), c(e), IN_EXP_E);
      set(c('.'), c('.'), IN_MANTISSA);
    }
    if (s === IN_SIGN) (set(c('0'), c('0'), IN_ZERO), set(c('1'), c('9'), IN_DIGITS));
    if (s === IN_KEYWORD) (terminal(TOKEN.KEYWORD), set(c('a'), c('z'), IN_KEYWORD));
  },
  (s, set) => {
    if (s !== IN_START) return;
    const single: readonly [string, number][] = [
      ['"', IN_DQ_STRING], ["'", IN_SQ_STRING], ['0', IN_ZERO], ['-', IN_SIGN],
      ['{', TOKEN.LCURLY], ['}', TOKEN.RCURLY], ['[', TOKEN.LSQUARE], [']', TOKEN.RSQUARE], [',', TOKEN.COMMA], [':', TOKEN.COLON],
      [' ', IN_START], ['\t', IN_START], ['\r', IN_START], ['\n', IN_START],
    ];
    for (const [ch, next] of single) set(c(ch), c(ch), next);
    set(c('1'), c('9'), IN_DIGITS);
    set(c('a'), c('z'), IN_KEYWORD);
  },
];

/** The table flattened: TABLE[state * 256 + byte]. */
const TABLE: Uint8Array = (() => {
  const t = new Uint8Array(STATES * 256);
  for (let s = 0; s < STATES; s++) {
    for (const row of ROWS) row(s, (from, to, next) => t.fill(next, s * 256 + from, s * 256 + to + 1));
  }
  return t;
})();

export type TokenSink = (type: TokenType, text: string) => void;

const latin1 = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');

/** json_lexer_feed: bytes in, tokens out through `sink`; a lexical error is a TOKEN.ERROR token, then recovery. */
export class JsonLexer {
  private state = IN_START;
  /** Bytes of the current token from earlier chunks. */
  private carry = '';

  constructor(private readonly sink: TokenSink) {}

  feed(bytes: Uint8Array): void {
    const t = TABLE;
    let state = this.state;
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const ch = bytes[i]!;
      for (;;) {
        const raw = t[state * 256 + ch]!;
        const consumed = (raw & LOOKAHEAD) === 0;
        const next = raw & ~LOOKAHEAD;
        const end = consumed ? i + 1 : i;
        if (next >= TOKEN.LCURLY) {
          this.sink(next, this.carry + latin1(bytes, start, end));
          (this.carry = ''), (start = end), (state = IN_START);
        } else if (next === IN_START) {
          (this.carry = ''), (start = end), (state = IN_START);
        } else if (next === TOKEN.ERROR) {
          this.sink(TOKEN.ERROR, this.carry + latin1(bytes, start, end));
          (this.carry = ''), (start = end), (state = IN_RECOVERY);
        } else if (next === IN_RECOVERY) {
          (this.carry = ''), (start = end), (state = IN_RECOVERY);
        } else state = next;
        if (consumed) break;
      }
      // a single token may not grow without bound: QEMU hands it on as it is, cut, and starts afresh
      if (this.carry.length + (i + 1 - start) > MAX_TOKEN_SIZE) {
        this.sink(state, this.carry + latin1(bytes, start, i + 1));
        (this.carry = ''), (start = i + 1), (state = IN_START);
      }
    }
    if (start < bytes.length) this.carry += latin1(bytes, start, bytes.length);
    this.state = state;
  }
}
