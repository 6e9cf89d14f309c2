// Every payload that broke a Block Kit limit, whatever carried it: a clean run leaves the list
// empty, which the tests check after each case.

import { type BlockKitSurface, checkBlockKitLimits } from './blockKitLimits';

export interface BlockKitViolationRecord {
  /** What carried the payload: a Web API method, 'response_url', 'command_ack', 'view_submission_response'. */
  source: string;
  kind: BlockKitSurface;
  violations: string[];
  at: Date;
}

export class BlockKitViolations {
  readonly records: BlockKitViolationRecord[] = [];

  /** Checks a payload against Block Kit limits and records any violation under `source`. */
  check(source: string, kind: BlockKitSurface, payload: { blocks?: unknown[]; view?: unknown }): string[] {
    const violations = checkBlockKitLimits(kind, payload);
    if (violations.length > 0) this.record(source, kind, violations);
    return violations;
  }

  record(source: string, kind: BlockKitSurface, violations: string[]): void {
    this.records.push({ source, kind, violations, at: new Date() });
  }
}
