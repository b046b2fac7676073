/** commander's accumulator for a repeatable option (`--quirk a --quirk b` → ['a', 'b']). */
export const collect = (v: string, acc: string[]): string[] => [...acc, v];
