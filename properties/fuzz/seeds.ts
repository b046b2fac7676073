// Per-run seeds derived from the campaign seed with seedrandom, so `--seed S --runs N` always means the same runs.
import seedrandom from 'seedrandom';

export function runSeed(campaignSeed: number, run: number): number {
  return seedrandom(`${campaignSeed}/${run}`).int32();
}

/** A campaign seed when none is given: from the clock, never Math.random, and printed for replay. */
export function clockSeed(nowMs: number): number {
  return Math.abs(seedrandom(String(nowMs)).int32());
}
