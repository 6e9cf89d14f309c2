// What a test tells SlackDriver about a user's action, for the payloads built from messages and views.

import type { ActionInput, ViewValueInput } from './viewState';

export interface BlockActionInput extends ActionInput {
  user: string;
  /** The conversation of the message (required with messageTs). */
  channel?: string;
  /** The message holding the element: payload.message, container and response_url come from it. */
  messageTs?: string;
  /** The modal or Home tab holding the element. */
  viewId?: string;
  /** What the user had entered in the view's inputs so far (payload.view.state). */
  stateValues?: Record<string, ViewValueInput>;
}

export interface ViewSubmissionInput {
  user: string;
  viewId: string;
  values: Record<string, ViewValueInput>;
  /**
   * Slack's client refuses to submit an empty required input or text outside min/max_length, so by
   * default these throw instead of being sent; false sends them anyway.
   */
  clientChecks?: boolean;
}

export interface EventInput {
  type: string;
  user?: string;
  [field: string]: unknown;
}

export interface OptionsRequestInput {
  user: string;
  actionId: string;
  blockId?: string;
  /** What the user has typed. */
  value: string;
  viewId?: string;
  channel?: string;
  messageTs?: string;
}
