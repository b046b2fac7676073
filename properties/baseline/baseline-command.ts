// The baseline's fast-check model and its one command class: a precondition on the node names a call needs (skip
// when they do not exist), then the call on the real system (impl + invariants + model), failing on a new finding.
import type fc from 'fast-check';
import type { QmpCommand } from '../../qmp/types.ts';
import type { CheckSession } from '../run/check-session.ts';
import { isKnownFinding } from '../run/finding.ts';
import type { Finding } from '../run/finding.ts';
import type { BaseCall } from './baseline-args.ts';

/** What the user's model knows: node names and their drivers, as the real system answered; `over` once a known finding ended the sequence. */
export interface BaseModel {
  readonly nodes: Map<string, string>;
  over: boolean;
}

export interface BaseReal {
  readonly session: CheckSession;
  readonly ran: QmpCommand[];
  /** Signatures that are not news (known defects, stored fixtures, what this campaign already met). */
  readonly isKnown: (signature: string) => boolean;
}

/** Thrown by a command that meets a new finding: fast-check reports it and shrinks the sequence. */
export class FindingError extends Error {
  constructor(readonly finding: Finding) {
    super(finding.signature);
  }
}

export class BaseCommand implements fc.AsyncCommand<BaseModel, BaseReal> {
  constructor(private readonly c: BaseCall) {}

  check(m: Readonly<BaseModel>): boolean {
    return !m.over && this.c.uses.every((n) => m.nodes.has(n)) && (this.c.creates === undefined || !m.nodes.has(this.c.creates));
  }

  async run(m: BaseModel, r: BaseReal): Promise<void> {
    const cmd = this.command(m);
    r.ran.push(cmd);
    const step = await r.session.step(cmd);
    const f = step.finding;
    if (f !== undefined && !isKnownFinding(f, r.isKnown)) throw new FindingError(f);
    if (f !== undefined) m.over = true;
    m.nodes.clear();
    for (const n of r.session.snapshot.nodes) if (!n.autoNamed) m.nodes.set(n.name, n.driver);
  }

  toString(): string {
    return `${this.c.execute} ${JSON.stringify(this.c.arguments)}`;
  }

  /** A reopen restates the node's driver, which the model knows. */
  private command(m: BaseModel): QmpCommand {
    const r = this.c.reopens;
    if (r === undefined) return { execute: this.c.execute, arguments: this.c.arguments };
    return { execute: this.c.execute, arguments: { options: [{ driver: m.nodes.get(r.node) ?? 'file', 'node-name': r.node, 'read-only': r.readOnly }] } };
  }
}
