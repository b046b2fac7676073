// QAPI argument shapes written as `name:type` words (`?` after the name: optional); types are str, int, bool, any,
// ref (a node name or BlockdevOptions), ref/null, blockdev, (a|b) enums, T[] lists, or a nested struct; schema.ts checks arguments against them.
export interface Members {
  readonly [name: string]: string | Members;
}

/** `'a:str b?:int'` as members, with nested structs added by name. */
export const shape = (spec: string, structs: Members = {}): Members => ({
  ...Object.fromEntries(spec.split(' ').filter((w) => w !== '').map((w) => [w.slice(0, w.indexOf(':')), w.slice(w.indexOf(':') + 1)])),
  ...structs,
});
