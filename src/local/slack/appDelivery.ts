// How Slack hands the app what a user did, whichever way the app receives it: signed HTTP requests
// (SignedRequests) or Socket Mode envelopes (SocketModeDelivery). SlackDriver builds the payloads;
// a delivery carries them and reports the app's answer in one shape.

export interface DriverResponse {
  /** HTTP mode: the answer's status. Socket Mode: 200 for an ack, 0 when none came in time. */
  status: number;
  /** The answer's body; Socket Mode: the ack's payload as JSON, '' when it was empty. */
  body: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
  /** From the user's action to the end of the app's answer: what Slack holds to its 3-second limit. */
  ackMs: number;
  /** Socket Mode: why no ack came in time (Slack shows the user this error). */
  failure?: 'dispatch_failed' | 'operation_timeout';
}

export interface AppDelivery {
  /** A slash command's fields. */
  command(fields: Record<string, string>): Promise<DriverResponse>;
  /** An interaction payload: block_actions, view_submission, view_closed, block_suggestion. */
  interaction(payload: Record<string, unknown>): Promise<DriverResponse>;
  /** An Events API callback, possibly a retry. */
  event(payload: Record<string, unknown>, retry: { retryNum?: number; retryReason?: string }): Promise<DriverResponse>;
}
