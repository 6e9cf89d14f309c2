// What SlackDriver hands back for each kind of payload: the app's answer with what was sent.

import type { DriverResponse } from './appDelivery';
import type { LocalMessage } from './localChat';
import type { ViewSubmissionOutcome } from './localViews';

export interface CommandResponse extends DriverResponse {
  responseUrl: string;
  triggerId: string;
  /** The form fields sent. */
  payload: Record<string, string>;
  /** The message Slack shows for a non-empty acknowledgement body. */
  ackMessage?: LocalMessage;
}

export interface InteractionResponse extends DriverResponse {
  /** The payload sent (the JSON inside `payload=`). */
  payload: Record<string, unknown>;
  triggerId?: string;
  responseUrl?: string;
}

export interface ViewSubmissionResponse extends InteractionResponse {
  /** What Slack did with the answer: closed the view, showed errors, updated, pushed, cleared. */
  outcome: ViewSubmissionOutcome;
}

export type ViewClosedResponse = ({ sent: true } & InteractionResponse) | { sent: false; reason: string };
