// What an option of the group card's overflow menu carries: which of the card's less used actions,
// and the group. An overflow menu has one action id for all its options, so the option's value says
// which action it is (at most 150 characters: a kind and a 24-character group id).

/** The card's less used actions, in the order the menu lists them. */
export const CARD_MENU_KINDS = ['export', 'message', 'dm', 'rename', 'delete'] as const;
export type CardMenuKind = (typeof CARD_MENU_KINDS)[number];

export interface CardMenuChoice {
  kind: CardMenuKind;
  groupId: string;
}

export function encodeCardMenuChoice(choice: CardMenuChoice): string {
  return `${choice.kind}:${choice.groupId}`;
}

/** The choice an option carries, or null when the value is not one (an old or forged option). */
export function decodeCardMenuChoice(value: string): CardMenuChoice | null {
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon);
  const groupId = value.slice(colon + 1);
  if (colon < 0 || !groupId || !(CARD_MENU_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as CardMenuKind, groupId };
}
