import { type GroupMessage, MAX_MESSAGE_LENGTH } from '../../../src/services/groupMessages';
import { describeMessage, firstLine, renderMessageModal, renderMessageNotification, renderMessagePreview, renderSendResult } from '../../../src/slack/blocks/groupMessages';
import type { Operation } from '../../../src/store/types';
import { expectSafeSurface, textsOf } from './expectSafeSurface';
import { anOperation } from './renderInputs';

const GROUP = '6650c0ffee00000000000001';

function operation(message: GroupMessage): Operation {
  return anOperation({ kind: 'message', groupId: GROUP, groupName: 'Main <panel>', details: { message } });
}

describe('firstLine', () => {
  it('the first non-blank line, marked when more follows, cut at 150 characters', () => {
    expect(firstLine('\n  Hello there  \nMore')).toBe('Hello there …');
    expect(firstLine('Only one')).toBe('Only one');
    expect(firstLine('x'.repeat(400))).toHaveLength(150);
  });
});

describe('renderMessagePreview', () => {
  const body = `Wave 3 <!channel> *now* & <https://evil.example|click>\n${'y'.repeat(MAX_MESSAGE_LENGTH - 60)}`;
  const message: GroupMessage = { body, study: { id: 's1', name: 'Wave <1>' }, recipients: 1234 };

  it('shows the whole body as plain text, the recipients, the study, that it cannot be recalled, and a confirmed danger button', () => {
    const rendered = renderMessagePreview({ kind: 'preview', operation: operation(message), message, groupName: 'Main <panel>' });
    const blocks = expectSafeSurface(rendered);
    expect(blocks).toContainEqual({ type: 'section', text: { type: 'plain_text', text: body, emoji: false } });
    const texts = textsOf(rendered).join('\n');
    expect(texts).toContain('*Recipients:* 1,234');
    expect(texts).toContain('Wave &lt;1&gt;');
    expect(texts).toContain('cannot be recalled');
    expect(JSON.stringify(blocks)).toContain('"text":"Send to 1,234 participants"');
    expect(JSON.stringify(blocks)).toContain('"style":"danger"');
  });

  it('above the cap, or for an empty group, no button and nothing sent', () => {
    const over = renderMessagePreview({ kind: 'over_cap', groupName: 'Main panel', recipients: 5000, cap: 4000 });
    expectSafeSurface(over);
    expect(textsOf(over).join()).toContain('5,000 participants, more than the 4,000');
    expect(JSON.stringify(over.blocks)).not.toContain('message_send');
    expect(textsOf(renderMessagePreview({ kind: 'empty_group', groupName: 'Empty' })).join()).toContain('Nothing was sent');
  });
});

describe('outcomes and notifications', () => {
  const message: GroupMessage = { body: 'First <b> line\nsecond line', study: null, recipients: 2 };
  const op = operation(message);

  it('may have been sent says it was not sent again', () => {
    const rendered = renderSendResult({ kind: 'may_have_been_sent', operation: op, message, said: 'No answer within 30 s' });
    expectSafeSurface(rendered);
    expect(textsOf(rendered).join()).toContain('*may have been sent*');
    expect(textsOf(rendered).join()).toContain('It was not sent again');
  });

  it('the notification says who messaged whom on its top line, and carries the first line only, escaped, in its thread', () => {
    const { top, threadReply } = renderMessageNotification({ actor: { userId: 'U_ALICE', teamId: 'T0LOCAL' }, groupId: GROUP, groupName: 'Main <panel>', outcome: 'sent', message });
    expectSafeSurface(top);
    expectSafeSurface(threadReply!);
    expect(textsOf(top).join('\n')).toContain('<@U_ALICE> messaged the 2 participants of *Main &lt;panel&gt;*.');
    expect(textsOf(top).join('\n')).not.toContain('First');
    const texts = textsOf(threadReply!).join('\n');
    expect(texts).toContain('“First &lt;b&gt; line …”');
    expect(texts).not.toContain('second line');
  });

  it('the history line: recipients and first line', () => {
    expect(describeMessage(message)).toBe(' · to 2 participants: “First &lt;b&gt; line …”');
  });

  it('the form holds the limit it states', () => {
    const modal = renderMessageModal({ id: GROUP, name: 'Main panel', participant_count: 1234 } as never, { channelId: 'C_GENERAL', groupId: GROUP, currentName: 'Main panel' });
    expectSafeSurface(modal);
    expect(JSON.stringify(modal.blocks)).toContain(`"max_length":${MAX_MESSAGE_LENGTH}`);
    expect(textsOf(modal).join()).toContain('Up to 2,000 characters');
  });
});
