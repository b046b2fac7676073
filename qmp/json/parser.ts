// QEMU's JSON parser (qobject/json-parser.c): tokens of one message to a value, with QEMU's error texts.
// Recursion is bounded by the streamer's nesting limit (1024), as in QEMU.
import type { JsonObject, JsonValue } from '../types.ts';
import { TOKEN } from './lexer.ts';
import type { TokenType } from './lexer.ts';
import { decodeJsonString } from './mod-utf8.ts';
import { qmpDouble } from './qnum.ts';

export interface Token {
  readonly type: TokenType;
  /** The token's bytes, one char each. */
  readonly text: string;
}

export type ParseResult = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Thrown inside this file only, caught by parseTokens: the first parse_error() wins, as in QEMU. */
class ParseError {
  constructor(readonly message: string) {}
}

/** JSON_INTEGER as QEMU keeps it: int64, else uint64, else double; a JS number only where it is exact. */
function integer(text: string): JsonValue {
  const n = BigInt(text);
  if (n >= INT64_MIN && n <= INT64_MAX) return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  if (n > 0n && n <= UINT64_MAX) return n;
  return qmpDouble(Number(text));
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private pop(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private popOrEoi(): Token {
    const t = this.pop();
    if (t === undefined) throw new ParseError('premature EOI');
    return t;
  }

  value(): JsonValue {
    const t = this.peek();
    if (t === undefined) throw new ParseError('premature EOI');
    switch (t.type) {
      case TOKEN.LCURLY:
        return this.object();
      case TOKEN.LSQUARE:
        return this.array();
      case TOKEN.STRING:
        this.pos++;
        return this.string(t);
      case TOKEN.INTEGER:
        this.pos++;
        return integer(t.text);
      case TOKEN.FLOAT:
        this.pos++;
        return qmpDouble(Number(t.text));
      case TOKEN.KEYWORD:
        this.pos++;
        if (t.text === 'true') return true;
        if (t.text === 'false') return false;
        if (t.text === 'null') return null;
        throw new ParseError(`invalid keyword '${t.text}'`);
      default:
        throw new ParseError('expecting value');
    }
  }

  private string(t: Token): string {
    const r = decodeJsonString(t.text);
    if (!r.ok) throw new ParseError(r.message);
    return r.value;
  }

  private pair(into: Record<string, JsonValue>): void {
    if (this.peek() === undefined) throw new ParseError('premature EOI');
    const key = this.value();
    if (typeof key !== 'string') throw new ParseError('key is not a string in object');
    if (this.popOrEoi().type !== TOKEN.COLON) throw new ParseError('missing : in object pair');
    const v = this.value();
    if (Object.hasOwn(into, key)) throw new ParseError('duplicate key');
    // defineProperty, not assignment: a "__proto__" key is data, never the prototype
    Object.defineProperty(into, key, { value: v, enumerable: true, writable: true, configurable: true });
  }

  private object(): JsonObject {
    this.pos++;
    const obj: Record<string, JsonValue> = {};
    const first = this.peek();
    if (first === undefined) throw new ParseError('premature EOI');
    if (first.type === TOKEN.RCURLY) {
      this.pos++;
      return obj;
    }
    this.pair(obj);
    for (let t = this.popOrEoi(); t.type !== TOKEN.RCURLY; t = this.popOrEoi()) {
      if (t.type !== TOKEN.COMMA) throw new ParseError('expected separator in dict');
      this.pair(obj);
    }
    return obj;
  }

  private array(): readonly JsonValue[] {
    this.pos++;
    const list: JsonValue[] = [];
    const first = this.peek();
    if (first === undefined) throw new ParseError('premature EOI');
    if (first.type === TOKEN.RSQUARE) {
      this.pos++;
      return list;
    }
    list.push(this.value());
    for (let t = this.popOrEoi(); t.type !== TOKEN.RSQUARE; t = this.popOrEoi()) {
      if (t.type !== TOKEN.COMMA) throw new ParseError('expected separator in list');
      list.push(this.value());
    }
    return list;
  }
}

/** json_parser_parse: the first value of the tokens (the streamer hands over exactly one message). */
export function parseTokens(tokens: readonly Token[]): ParseResult {
  try {
    return { ok: true, value: new Parser(tokens).value() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, message: `JSON parse error, ${e.message}` };
    throw e;
  }
}
