import { checkBlockKitLimits } from '../../../src/local/slack/blockKitLimits';

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});
const option = (value: string, text = value) => ({ text: plain(text), value });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Replace members'),
  submit: plain('Preview'),
  close: plain('Cancel'),
  blocks: [section('Upload a CSV')],
  ...extra,
});

describe('checkBlockKitLimits', () => {
  it('passes a well-formed message and modal', () => {
    const blocks = [
      { type: 'header', text: plain('Group pilot') },
      section('*42* participants'),
      { type: 'section', fields: [plain('a'), plain('b')], accessory: button('more') },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'updated by <@U_ALICE>' }] },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'confirm',
        elements: [
          button('confirm', {
            style: 'primary',
            value: 'op-1',
            confirm: { title: plain('Sure?'), text: plain('Replace 42'), confirm: plain('Yes'), deny: plain('No') },
          }),
          button('cancel', { value: 'op-1' }),
          { type: 'static_select', action_id: 'pick', options: [option('a'), option('b')], initial_option: option('b') },
        ],
      },
    ];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([]);
    const inputs = [
      { type: 'input', block_id: 'csv', label: plain('CSV'), element: { type: 'file_input', action_id: 'file', max_files: 1 } },
      {
        type: 'input',
        block_id: 'name',
        label: plain('Name'),
        element: { type: 'plain_text_input', action_id: 'name', max_length: 3000 },
      },
    ];
    expect(checkBlockKitLimits('modal', { view: modal({ blocks: inputs, private_metadata: 'x'.repeat(3000) }) })).toEqual(
      [],
    );
    expect(checkBlockKitLimits('home', { view: { type: 'home', blocks: [section('Hi')] } })).toEqual([]);
  });

  it('counts blocks per surface: 50 for a message, 100 for a view', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => section(`row ${i}`));
    expect(checkBlockKitLimits('message', { blocks: fifty })).toEqual([]);
    expect(checkBlockKitLimits('message', { blocks: [...fifty, section('one more')] })).toEqual([
      'blocks: 51 blocks, over the limit of 50',
    ]);
    const hundred = Array.from({ length: 100 }, (_, i) => section(`row ${i}`));
    expect(checkBlockKitLimits('modal', { view: modal({ blocks: hundred }) })).toEqual([]);
    expect(checkBlockKitLimits('home', { view: { type: 'home', blocks: [...hundred, section('x')] } })).toEqual([
      'view.blocks: 101 blocks, over the limit of 100',
    ]);
  });

  it('holds modal title, submit and close to 24 characters', () => {
    const violations = checkBlockKitLimits('modal', {
      view: modal({ title: plain('t'.repeat(25)), submit: plain('s'.repeat(25)), close: plain('c'.repeat(24)) }),
    });
    expect(violations).toEqual([
      'view.title.text: modal title is 25 characters, over the limit of 24',
      'view.submit.text: modal submit is 25 characters, over the limit of 24',
    ]);
  });

  it('counts UTF-16 units, as Slack does: an emoji outside the BMP counts two', () => {
    expect(checkBlockKitLimits('modal', { view: modal({ title: plain('🎉'.repeat(12)) }) })).toEqual([]);
    expect(checkBlockKitLimits('modal', { view: modal({ title: plain('🎉'.repeat(13)) }) })).toEqual([
      'view.title.text: modal title is 26 characters, over the limit of 24',
    ]);
    expect(checkBlockKitLimits('message', { blocks: [{ type: 'actions', elements: [button('go', { text: plain(`${'x'.repeat(73)}🎉`) })] }] })).toEqual([]);
    expect(checkBlockKitLimits('message', { blocks: [{ type: 'actions', elements: [button('go', { text: plain(`${'x'.repeat(74)}🎉`) })] }] })).toEqual([
      'blocks[0].elements[0].text.text: button is 76 characters, over the limit of 75',
    ]);
  });

  it('refuses text holding half of a surrogate pair (half an emoji), wherever it is', () => {
    const half = '🎉'.slice(0, 1);
    const blocks = [
      section(`Group ${half}`),
      { type: 'actions', elements: [button('go', { text: plain(`Show ${half}`) }), { type: 'static_select', action_id: 'pick', options: [option('g1', `Pilot ${'🎉'.slice(1)}`)] }] },
    ];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([
      'blocks[0].text.text: section text holds a lone surrogate (half of an emoji or other character)',
      'blocks[1].elements[0].text.text: button holds a lone surrogate (half of an emoji or other character)',
      'blocks[1].elements[1].options[0].text.text: option text holds a lone surrogate (half of an emoji or other character)',
    ]);
  });

  it('refuses a button whose value is empty: a button that carries nothing leaves value out', () => {
    const blocks = [{ type: 'actions', elements: [button('empty', { value: '' }), button('none')] }];
    expect(checkBlockKitLimits('message', { blocks })).toEqual(['blocks[0].elements[0].value: must not be empty (leave value out instead)']);
  });

  it('finds duplicate action_ids within a block and duplicate block_ids within a message', () => {
    const blocks = [
      { type: 'actions', block_id: 'a', elements: [button('go'), button('go')] },
      { type: 'actions', block_id: 'a', elements: [button('go')] },
    ];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([
      'blocks[0].elements[1].action_id: "go" is already used by blocks[0].elements[0] in the same block',
      'blocks[1].block_id: "a" is already used by blocks[0]; block_id must be unique',
    ]);
  });

  it('checks section, header, context and actions limits', () => {
    const blocks = [
      section('x'.repeat(3001)),
      { type: 'section', fields: Array.from({ length: 11 }, () => plain('f')) },
      { type: 'section', fields: [plain('y'.repeat(2001))] },
      { type: 'header', text: plain('h'.repeat(151)) },
      { type: 'context', elements: Array.from({ length: 11 }, () => plain('c')) },
      { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) },
    ];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([
      'blocks[0].text.text: section text is 3001 characters, over the limit of 3000',
      'blocks[1].fields: 11 fields, over the limit of 10',
      'blocks[2].fields[0].text: section field is 2001 characters, over the limit of 2000',
      'blocks[3].text.text: header is 151 characters, over the limit of 150',
      'blocks[4].elements: 11 elements, over the limit of 10',
      'blocks[5].elements: 26 elements, over the limit of 25',
    ]);
  });

  it('checks buttons, options and confirmation dialogs', () => {
    const blocks = [
      {
        type: 'actions',
        elements: [
          button('b'.repeat(256), { text: plain('t'.repeat(76)), value: 'v'.repeat(2001), url: `https://x/${'u'.repeat(3000)}` }),
          {
            type: 'static_select',
            action_id: 'many',
            options: Array.from({ length: 101 }, (_, i) => option(`o${i}`)),
          },
          { type: 'static_select', action_id: 'long', options: [option('v'.repeat(151), 'o'.repeat(76))] },
          button('confirm', {
            confirm: { title: plain('t'.repeat(101)), text: plain('x'.repeat(301)), confirm: plain('c'.repeat(31)), deny: plain('d'.repeat(31)) },
          }),
        ],
      },
    ];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([
      'blocks[0].elements[0].action_id: 256 characters, over the limit of 255',
      'blocks[0].elements[0].text.text: button is 76 characters, over the limit of 75',
      'blocks[0].elements[0].value: 2001 characters, over the limit of 2000',
      'blocks[0].elements[0].url: 3010 characters, over the limit of 3000',
      'blocks[0].elements[1].options: 101 options, over the limit of 100',
      'blocks[0].elements[2].options[0].text.text: option text is 76 characters, over the limit of 75',
      'blocks[0].elements[2].options[0].value: 151 characters, over the limit of 150',
      'blocks[0].elements[3].confirm.title.text: confirm title is 101 characters, over the limit of 100',
      'blocks[0].elements[3].confirm.text.text: confirm text is 301 characters, over the limit of 300',
      'blocks[0].elements[3].confirm.confirm.text: confirm button is 31 characters, over the limit of 30',
      'blocks[0].elements[3].confirm.deny.text: deny button is 31 characters, over the limit of 30',
    ]);
  });

  it('checks inputs and view fields', () => {
    const view = modal({
      submit: undefined,
      private_metadata: 'm'.repeat(3001),
      callback_id: 'c'.repeat(256),
      blocks: [
        {
          type: 'input',
          label: plain('l'.repeat(2001)),
          element: { type: 'plain_text_input', action_id: 'text', max_length: 3001 },
        },
        { type: 'input', label: plain('Pick'), element: { type: 'static_select', action_id: 'p', options: [option('a')], initial_option: option('z') } },
      ],
    });
    delete (view as Record<string, unknown>)['submit'];
    expect(checkBlockKitLimits('modal', { view })).toEqual([
      'view.private_metadata: 3001 characters, over the limit of 3000',
      'view.callback_id: 256 characters, over the limit of 255',
      'view.blocks[0].label.text: label is 2001 characters, over the limit of 2000',
      'view.blocks[0].element.max_length: must be between 1 and 3000',
      'view.blocks[1].element.initial_option: must exactly match one of the options',
      'view.submit: a modal with an input block needs a submit button',
    ]);
  });

  it('rejects empty text objects and unknown block types', () => {
    const blocks = [section(''), { type: 'header', text: { type: 'mrkdwn', text: 'x' } }, { type: 'carousel' }];
    expect(checkBlockKitLimits('message', { blocks })).toEqual([
      'blocks[0].text.text: section text must not be empty',
      'blocks[1].text.type: header must be plain_text',
      'blocks[2].type: unknown block type "carousel"',
    ]);
  });
});
