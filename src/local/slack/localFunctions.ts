// Workflow Builder's custom steps, as Slack runs them for an app: each run of a step has an execution
// id and a short-lived bot access token (xwfp-…) that Slack puts in the function_executed event; the
// app ends the run with functions.completeSuccess (its outputs) or functions.completeError (a
// message for the workflow's run log), once. Later calls for the same run are refused.

import { randomBytes } from 'node:crypto';
import { type ApiAnswer, type ApiArgs, type ApiMethod, fail, stringArg } from './webApiArgs';

export interface FunctionExecution {
  executionId: string;
  callbackId: string;
  inputs: Record<string, unknown>;
  /** What the app ended the run with; null while it runs. */
  outcome: { kind: 'success'; outputs: Record<string, unknown> } | { kind: 'error'; error: string } | null;
  /** The run's token: usable until the run ends. */
  token: string;
}

export class LocalFunctions {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'functions.completeSuccess': (args) => this.complete(args, 'success'),
    'functions.completeError': (args) => this.complete(args, 'error'),
  };

  private readonly runs = new Map<string, FunctionExecution>();

  reset(): void {
    this.runs.clear();
  }

  /** A new run of the step `callbackId` with these inputs: its execution id and token. */
  start(callbackId: string, inputs: Record<string, unknown>): FunctionExecution {
    const run: FunctionExecution = {
      executionId: `Fx${randomBytes(6).toString('hex').toUpperCase()}`,
      callbackId,
      inputs: structuredClone(inputs),
      outcome: null,
      token: `xwfp-${randomBytes(16).toString('hex')}`,
    };
    this.runs.set(run.executionId, run);
    return structuredClone(run);
  }

  execution(executionId: string): FunctionExecution | undefined {
    const run = this.runs.get(executionId);
    return run && structuredClone(run);
  }

  /** Whether `token` is the token of a run that has not ended (Slack accepts it for the app's calls during the run). */
  acceptsToken(token: string | undefined): boolean {
    if (!token?.startsWith('xwfp-')) return false;
    for (const run of this.runs.values()) if (run.token === token && run.outcome === null) return true;
    return false;
  }

  private complete(args: ApiArgs, kind: 'success' | 'error'): ApiAnswer {
    const run = this.runs.get(stringArg(args, 'function_execution_id') ?? '');
    if (!run) return fail('function_execution_not_found');
    if (run.outcome) return fail('function_execution_already_completed');
    if (kind === 'success') {
      // The Web API client sends objects in a form as JSON text.
      let outputs = args['outputs'];
      if (typeof outputs === 'string') {
        try {
          outputs = JSON.parse(outputs) as unknown;
        } catch {
          return fail('invalid_arguments');
        }
      }
      if (outputs !== undefined && (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs))) return fail('invalid_arguments');
      run.outcome = { kind, outputs: structuredClone((outputs ?? {}) as Record<string, unknown>) };
    } else {
      const error = stringArg(args, 'error');
      if (!error) return fail('invalid_arguments');
      run.outcome = { kind, error };
    }
    return { ok: true };
  }
}
