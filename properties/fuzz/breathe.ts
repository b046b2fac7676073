// The impl answers synchronously, so a campaign is one long chain of resolved promises: signals, timers and pipe
// writes wait until the chain yields to the event loop. Every run and every shrink attempt does.

export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
