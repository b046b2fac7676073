// Malformed QMP input, generated: commands whose members, values and bytes go wrong the ways hostile input does
// (truncation, nesting, wrong types, huge values, bad UTF-8, raw control characters).
import fc from 'fast-check';

const enc = new TextEncoder();

/** Scalars QEMU reads: integers past int64, doubles it prints as %.17g, escapes, non-ASCII, single quotes. */
const goodScalar: fc.Arbitrary<string> = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('9223372036854775807', '9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616', '9007199254740993'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Number.isInteger(d) ? `${d}.0` : String(d))),
  fc.constantFrom('1e400', '-1e400', '-0', '1.0', '1E2', 'true', 'false', 'null'),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"caf\u00e9"', '"\\u00e9"', '"\\u0000x"', '"\\uD83D\\uDE00"', "'single'", '""', '"\\/"'),
);

/** Scalars QEMU refuses: bad numbers and keywords, lone surrogates, bad escapes, raw control characters. */
const badScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('00', '-', '1.', '.5', '0x10', '+1', '1e', 'Infinity', 'NaN', 'nul', 'True', 'nulll', 'undefined'),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\ud800"', '"\\q"', '"tab\there"', '"a\nb"', '"\\u12"'),
);

export const scalarText: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: goodScalar }, { weight: 1, arbitrary: badScalar });

const MEMBER_NAMES = ['execute', 'arguments', 'id', 'exec-oob', 'control', 'bogus'];
const COMMANDS = ['query-jobs', 'query-block-jobs', 'blockdev-add', 'blockdev-del', 'block_resize', 'x-debug-query-block-graph', 'query-named-block-nodes', 'object-add', 'qmp_capabilities', 'no-such-command', 'blockdev_add'];
const ARG_NAMES = ['driver', 'node-name', 'size', 'file', 'filename', 'offset', 'read-only', 'qom-type', 'id', 'flat', 'device', 'x', 'cache', 'detect-zeroes'];
const VALUES_FOR: Readonly<Record<string, readonly string[]>> = {
  driver: ['"null-co"', '"raw"', '"qcow2"', '"file"', '"throttle"', '"nosuch"', '5'],
  filename: ['"a.qcow2"', '"b.raw"', '"missing.img"'],
  'node-name': ['"n0"', '"n1"', '"#block1"', '"caf\u00e9"'],
  'qom-type': ['"throttle-group"', '"no-such-type"'],
  file: ['"n0"', '{"driver":"file","filename":"a.qcow2"}', '{"driver":"null-co"}', '{"driver":"file","filename":"b.raw","node-name":"n1"}'],
  size: ['1048576', '9223372036854775807', '9007199254740993', '1048576.0', '-1', '18446744073709551616'],
  device: ['"n0"', '"n1"'],
  flat: ['true', 'false'],
};

/** A JSON value as text, possibly broken, nested at most a few levels (deep nesting comes separately). */
export const valueText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(fc.constantFrom(...ARG_NAMES), tie('v')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).v;

/** Nesting near and past QEMU's 1024 levels, balanced or not. */
export const deepText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1000, max: 1100 }), fc.integer({ min: 0, max: 1100 }), fc.constantFrom('[', '{"a":'))
  .map(([open, close, o]) => o.repeat(open) + '1' + (o === '[' ? ']' : '}').repeat(close));

const argumentsText: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(...ARG_NAMES).chain((k) =>
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(VALUES_FOR[k] ?? ['1'])) }, { weight: 1, arbitrary: valueText }).map((v) => `${JSON.stringify(k)}:${v}`),
    ),
    { maxLength: 5 },
  )
  .map((ms) => `{${ms.join(',')}}`);

const memberText: fc.Arbitrary<string> = fc.constantFrom(...MEMBER_NAMES).chain((name) => {
  const value =
    name === 'execute' || name === 'exec-oob'
      ? fc.oneof(fc.constantFrom(...COMMANDS).map((c) => JSON.stringify(c)), valueText)
      : name === 'arguments'
        ? fc.oneof({ weight: 4, arbitrary: argumentsText }, { weight: 2, arbitrary: valueText }, { weight: 1, arbitrary: deepText })
        : fc.oneof({ weight: 4, arbitrary: valueText }, { weight: 1, arbitrary: deepText });
  return value.map((v) => `${JSON.stringify(name)}:${v}`);
});

/** A command QEMU runs: a known name, plausible arguments with a hostile value or two among them. */
const wellFormedText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...COMMANDS), argumentsText, fc.option(valueText, { nil: undefined }))
  .map(([cmd, args, id]) => `{"execute":${JSON.stringify(cmd)},"arguments":${args}${id === undefined ? '' : `,"id":${id}`}}`);

/** A blockdev-add that mostly opens a node: one member at most gets a hostile value. */
const blockdevAddText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('{"driver":"null-co"', '{"driver":"raw","file":{"driver":"null-co"}', '{"driver":"qcow2","file":{"driver":"file","filename":"a.qcow2"}', '{"driver":"file","filename":"b.raw"'),
    fc.constantFrom('"n0"', '"n1"', '"caf\u00e9"', '"a-very-long-node-name-beyond-thirty-one"', '"1x"'),
    fc.option(fc.tuple(fc.constantFrom('size', 'read-only', 'cache', 'detect-zeroes', 'discard', 'offset', 'x'), scalarText), { nil: undefined }),
  )
  .map(([head, name, extra]) => `{"execute":"blockdev-add","arguments":${head},"node-name":${name}${extra ? `,${JSON.stringify(extra[0])}:${extra[1]}` : ''}}}`);

/** A command-shaped line: members in any order, any of them missing, repeated or wrong. */
const commandText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: blockdevAddText },
  { weight: 6, arbitrary: wellFormedText },
  { weight: 4, arbitrary: fc.array(memberText, { minLength: 0, maxLength: 4 }).map((ms) => `{${ms.join(',')}}`) },
  { weight: 1, arbitrary: valueText },
  { weight: 1, arbitrary: deepText },
);

/** Bytes that break JSON, UTF-8 or both. */
const BAD_BYTES = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x22, 0x27, 0x2c, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff];

export type Mutation = { readonly kind: 'none' } | { readonly kind: 'truncate'; readonly at: number } | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.nat().map((at): Mutation => ({ kind: 'truncate', at })) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), bytes: fc.array(fc.constantFrom(...BAD_BYTES), { minLength: 1, maxLength: 3 }) }).map((m): Mutation => ({ kind: 'insert', ...m })) },
);

export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'none') return bytes;
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
  if (m.kind === 'truncate') return bytes.slice(0, at);
  return Uint8Array.from([...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)]);
}

/** One malformed line (without its newline), as bytes. */
export const hostileLine: fc.Arbitrary<Uint8Array> = fc.tuple(commandText, mutation).map(([text, m]) => mutate(enc.encode(text), m));
