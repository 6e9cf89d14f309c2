// Bolt's Socket Mode receiver, with every envelope handed to Bolt through the delivery gate, as the
// HTTP receiver does: answers redacted, and a repeat (an envelope Slack sends again, an event it
// retries) acknowledged and stopped after its ack. Envelopes reach Bolt in one place, the receiver's
// call of app.processEvent; the app it is given routes that call through the gate.
import { type App, defaultProcessEventErrorHandler, type ReceiverEvent, SocketModeReceiver, type SocketModeReceiverOptions } from '@slack/bolt';
import { type DeliveryGate, isRepeatDelivery } from './deliveryGate';
import { deliveryKey } from './deliveryKeys';

export class GatedSocketModeReceiver extends SocketModeReceiver {
  constructor(
    options: Omit<SocketModeReceiverOptions, 'processEventErrorHandler'>,
    private readonly gate: DeliveryGate,
  ) {
    super({
      ...options,
      // A repeat was acked before it was stopped: nothing to log as a failure, nothing to ack again.
      processEventErrorHandler: async (args) => (isRepeatDelivery(args.error) ? false : defaultProcessEventErrorHandler(args)),
    });
  }

  override init(app: App): void {
    // The app as the receiver sees it: the same app, whose processEvent goes through the gate.
    const gated: App = Object.create(app, {
      processEvent: { value: (event: ReceiverEvent) => app.processEvent(this.gate.guard(event, deliveryKey(event.body, null))) },
    });
    super.init(gated);
  }
}
