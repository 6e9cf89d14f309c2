// What the driver needs from Slack beyond the Web API the app calls. Playing Slack's side of an
// interaction, the driver reads who and where the user is and what they are looking at, hands out
// the trigger_id and response_url the interaction carries, and gives Slack the app's answers to act
// on. LocalSlack implements it; this is the whole of what SlackDriver may touch.

import type { LocalMessage } from './localChat';
import type { FunctionExecution } from './localFunctions';
import type { EnvelopeDelivery, EnvelopeOutcome, EnvelopeType } from './localSocketMode';
import type { LocalView, ViewSubmissionOutcome } from './localViews';
import type { LocalEnterprise } from './slackIdentity';
import type { LocalChannel, LocalUser } from './workspace';

export interface SlackForDriver {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  /** The workspace's Enterprise Grid organisation, or null; and whether the app is installed org-wide. */
  readonly enterprise: LocalEnterprise | null;
  readonly enterpriseInstall: boolean;

  // ---- Who and where -----------------------------------------------------------------------
  user(id: string): LocalUser | undefined;
  /** A channel by id or name, or a user id's DM. */
  channel(idOrName: string): LocalChannel | undefined;
  dmChannelFor(user: string): string;

  // ---- What the user is looking at ---------------------------------------------------------
  message(channel: string, ts: string): LocalMessage | undefined;
  view(viewId: string): LocalView | undefined;
  /** The user's open modals, the top of the stack last. */
  openModals(user: string): LocalView[];
  homeView(user: string): LocalView | undefined;
  /** A message as Slack puts it in interaction payloads, with Slack's generated block and action ids. */
  slackMessageObject(channel: string, ts: string): Record<string, unknown> | undefined;
  /** A view as Slack puts it in payloads (`state.values` empty). */
  slackViewObject(viewId: string): Record<string, unknown> | undefined;

  // ---- What an interaction hands the app -----------------------------------------------------
  /** A trigger_id for `user`: single use, short-lived. */
  issueTriggerId(user: string): string;
  /** A response_url for an interaction by `user` in `channel`, acting on the message `messageTs` when given. */
  createResponseUrl(options: { channel: string; user: string; messageTs?: string }): string;

  // ---- What Slack does with the app's answers and the user's gestures --------------------------
  /** Shows a slash command's acknowledgement body as Slack does; the message shown, if any. */
  recordCommandAck(options: { channel: string; user: string; body: string; json?: unknown }): LocalMessage | undefined;
  /** Applies the app's answer to a view_submission: close, errors, update, push or clear. */
  applyViewSubmissionAnswer(viewId: string, answer: { status: number; body: string; json?: unknown }): ViewSubmissionOutcome;
  /** The user closing a view (and those pushed above it; the whole stack with `clearStack`). */
  closeView(viewId: string, options?: { clearStack?: boolean }): void;

  /** Workflow Builder starting a run of the app's custom step: its execution id and run token. */
  startFunction(callbackId: string, inputs: Record<string, unknown>): FunctionExecution;

  // ---- Socket Mode -----------------------------------------------------------------------------
  /** Hands the app an envelope over its Socket Mode connection and resolves with its ack, or why there was none. */
  sendEnvelope(type: EnvelopeType, payload: Record<string, unknown>, delivery?: EnvelopeDelivery): Promise<EnvelopeOutcome>;
}
