import { BLOCK_KIT_LIMITS } from '../../src/slack/blocks/blockKitLimits';
import { CARD_MENU_KINDS, decodeCardMenuChoice, encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';

const GROUP = '6650c0ffee00000000000001';

describe('the card menu’s choice', () => {
  it('carries each action and the group there and back, within an option value’s limit', () => {
    for (const kind of CARD_MENU_KINDS) {
      const value = encodeCardMenuChoice({ kind, groupId: GROUP });
      expect(value.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.optionValue);
      expect(decodeCardMenuChoice(value)).toEqual({ kind, groupId: GROUP });
    }
  });

  it('reads an unknown action, a missing group or no separator as no choice', () => {
    for (const value of [`explode:${GROUP}`, 'rename:', GROUP, '', ':', `Rename:${GROUP}`]) expect(decodeCardMenuChoice(value)).toBeNull();
  });
});
