// What the user does, handed to the app as Socket Mode envelopes over its connection to the local
// Slack, and the app's ack read back the way an HTTP answer is: an empty ack is an empty 200, an ack
// with a payload a JSON body. No ack in time is status 0 with Slack's error for the user.

import type { AppDelivery, DriverResponse } from './appDelivery';
import type { EnvelopeOutcome } from './localSocketMode';
import type { SlackForDriver } from './slackForDriver';

export class SocketModeDelivery implements AppDelivery {
  constructor(private readonly slack: Pick<SlackForDriver, 'sendEnvelope'>) {}

  async command(fields: Record<string, string>): Promise<DriverResponse> {
    return answerOf(await this.slack.sendEnvelope('slash_commands', fields));
  }

  async interaction(payload: Record<string, unknown>): Promise<DriverResponse> {
    return answerOf(await this.slack.sendEnvelope('interactive', payload));
  }

  async event(payload: Record<string, unknown>, retry: { retryNum?: number; retryReason?: string }): Promise<DriverResponse> {
    const delivery = {
      ...(retry.retryNum === undefined ? {} : { retryAttempt: retry.retryNum }),
      ...(retry.retryReason === undefined ? {} : { retryReason: retry.retryReason }),
    };
    return answerOf(await this.slack.sendEnvelope('events_api', payload, delivery));
  }
}

function answerOf(outcome: EnvelopeOutcome): DriverResponse {
  if (!outcome.acked) return { status: 0, body: '', ackMs: outcome.ackMs, failure: outcome.error };
  if (Object.keys(outcome.payload).length === 0) return { status: 200, body: '', ackMs: outcome.ackMs };
  return { status: 200, body: JSON.stringify(outcome.payload), json: outcome.payload, ackMs: outcome.ackMs };
}
