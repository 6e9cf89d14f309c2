import type { ProlificError } from '../../prolific';
import type { MembershipDivergence } from './types';

/** Some chunks of an add or remove were written and some were not. */
export class PartialWriteError extends Error {
  readonly unapplied: number;

  constructor(
    readonly kind: 'add' | 'remove',
    readonly applied: number,
    /** The ids of the chunk Prolific refused (sent, but not confirmed). */
    readonly refusedIds: string[],
    /** The ids after it, never sent. */
    readonly notSent: number,
    override readonly cause: ProlificError | undefined,
  ) {
    const unapplied = refusedIds.length + notSent;
    // For logs only: what the user is told comes from the facts (slack/blocks/failedChange.ts).
    super(`${kind} stopped after ${applied} of ${applied + unapplied} ids`);
    this.unapplied = unapplied;
    this.name = 'PartialWriteError';
  }
}

/** A confirmation that was cut short (the database or the process went away) before it recorded its outcome. */
export class UnfinishedOperationError extends Error {
  constructor(readonly mayHaveWritten: boolean) {
    // For logs only, like PartialWriteError's.
    super(mayHaveWritten ? 'confirmation cut short after its write was sent' : 'confirmation cut short before its write');
    this.name = 'UnfinishedOperationError';
  }
}

/** The recovery found an operation already settled by another instance. */
export class SettledElsewhereError extends Error {}

/** An overwrite whose answer was lost, after which the group was neither as before nor as asked: it was not sent again. */
export class DivergedOverwriteError extends Error {
  constructor(
    override readonly cause: ProlificError,
    readonly divergence: MembershipDivergence,
  ) {
    super(cause.message);
    this.name = 'DivergedOverwriteError';
  }
}
