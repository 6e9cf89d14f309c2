import type { ProlificError } from '../../prolific';

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
    super(
      `${cause?.message ?? 'Prolific refused part of the change.'} ${applied.toLocaleString('en-US')} of ${(applied + unapplied).toLocaleString('en-US')} ids were ${kind === 'add' ? 'added' : 'removed'} before it stopped.`,
    );
    this.unapplied = unapplied;
    this.name = 'PartialWriteError';
  }
}

/** A confirmation that was cut short (the database or the process went away) before it recorded its outcome. */
export class UnfinishedOperationError extends Error {
  constructor(readonly mayHaveWritten: boolean) {
    super(
      mayHaveWritten
        ? 'The app stopped before it could confirm the change with Prolific.'
        : 'The app stopped before it wrote the change to Prolific.',
    );
    this.name = 'UnfinishedOperationError';
  }
}

/** The recovery found an operation already settled by another instance. */
export class SettledElsewhereError extends Error {}
