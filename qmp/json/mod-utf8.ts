// QEMU's modified UTF-8 (util/unicode.c) and parse_string (qobject/json-parser.c) over "binary strings" (a char a byte).

const MIN_CP = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];

/** mod_utf8_codepoint: the code point at `at` (or -1 when invalid) and where the next one starts. */
export function modUtf8Codepoint(s: string, at: number, n = 6): { readonly cp: number; readonly end: number } {
  if (at >= s.length || n === 0 || s.charCodeAt(at) === 0) return { cp: -1, end: at };
  let p = at;
  let byte = s.charCodeAt(p++);
  if (byte < 0x80) return { cp: byte, end: p };
  // impossible bytes 0xFE, 0xFF, or an unexpected continuation byte
  if (byte >= 0xfe || (byte & 0x40) === 0) return { cp: -1, end: p };
  let len = 0;
  let mask = 0x80;
  for (; byte & mask; mask >>= 1) len++;
  let cp = byte & (mask - 1);
  for (let i = 1; i < len; i++) {
    byte = i < n && p < s.length ? s.charCodeAt(p) : 0;
    // a missing continuation byte
    if ((byte & 0xc0) !== 0x80) return { cp: -1, end: p };
    p++;
    cp = cp * 64 + (byte & 0x3f);
  }
  if (!isValidCodepoint(cp) || (cp < MIN_CP[len - 2]! && !(cp === 0 && len === 2))) return { cp: -1, end: p };
  return { cp, end: p };
}

/** Not beyond Unicode, not a noncharacter, not a surrogate. */
export function isValidCodepoint(cp: number): boolean {
  if (cp < 0 || cp > 0x10ffff) return false;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  return !(cp >= 0xd800 && cp <= 0xdfff);
}

/** Collects code points into a JS string without one call per character. */
class StringBuilder {
  private parts: string[] = [];
  private cps: number[] = [];
  push(cp: number): void {
    this.cps.push(cp);
    if (this.cps.length >= 8192) this.flush();
  }
  text(): string {
    this.flush();
    return this.parts.join('');
  }
  private flush(): void {
    if (this.cps.length > 0) this.parts.push(String.fromCodePoint(...this.cps));
    this.cps = [];
  }
}

/** Bytes to text the way QEMU's JSON output walks a C string: each invalid sequence becomes U+FFFD. */
export function decodeModUtf8(s: string): { readonly text: string } {
  const b = new StringBuilder();
  for (let at = 0; at < s.length; ) {
    const { cp, end } = modUtf8Codepoint(s, at);
    b.push(cp < 0 ? 0xfffd : cp);
    at = end > at ? end : at + 1;
  }
  return { text: b.text() };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { '"': 0x22, "'": 0x27, '\\': 0x5c, '/': 0x2f, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

function cvt4hex(s: string, at: number): number {
  const h = s.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
}

export type DecodeResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

/** parse_string: a quoted token (either quote) to its text, with QEMU's error messages. */
export function decodeJsonString(tok: string): DecodeResult {
  const quote = tok[0];
  const b = new StringBuilder();
  let p = 1;
  while (tok[p] !== quote) {
    if (tok[p] === '\\') {
      const beg = p++;
      const esc = tok[p++] ?? '';
      const simple = SIMPLE_ESCAPES[esc];
      if (simple !== undefined) {
        b.push(simple);
        continue;
      }
      if (esc !== 'u') return { ok: false, message: 'invalid escape sequence in string' };
      let cp = cvt4hex(tok, p);
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && tok[p] === '\\' && tok[p + 1] === 'u') {
        // a leading surrogate followed by \u: a pair, or invalid
        const trailing = cvt4hex(tok, p + 2);
        if (trailing >= 0xdc00 && trailing <= 0xdfff) {
          cp = 0x10000 + ((cp & 0x3ff) << 10) + (trailing & 0x3ff);
          p += 6;
        } else cp = -1;
      }
      if (!isValidCodepoint(cp)) return { ok: false, message: `${decodeModUtf8(tok.slice(beg, Math.min(p, tok.length))).text} is not a valid Unicode character` };
      b.push(cp);
      continue;
    }
    const { cp, end } = modUtf8Codepoint(tok, p);
    if (cp < 0) return { ok: false, message: 'invalid UTF-8 sequence in string' };
    b.push(cp);
    p = end;
  }
  return { ok: true, value: b.text() };
}
