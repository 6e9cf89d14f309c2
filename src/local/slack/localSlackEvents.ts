// What the local Slack tells a follower (the playground's page) as it happens.

import type { EventEmitter } from 'node:events';
import type { LocalMessage } from './localChat';
import type { RecordedCall } from './localWebApi';
import type { ViewChange } from './localViews';

/**
 * 'message': a new message (any source). 'message_changed': a message updated in place (chat.update,
 * replace_original) or deleted (deleted: true). 'view': a view opened, pushed, updated, published or closed.
 * 'call': a Web API call answered. Every payload is a snapshot.
 */
export type LocalSlackEventMap = {
  message: [LocalMessage];
  message_changed: [LocalMessage];
  view: [ViewChange];
  call: [RecordedCall];
};

export type LocalSlackEvents = EventEmitter<LocalSlackEventMap>;
