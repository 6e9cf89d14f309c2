// `/pgroup history <group>`: the group's latest changes from the audit log, newest first, ten to
// a page, with Older/Newer buttons that replace the message in place.
import { SEED_GROUP_IDS, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const GROUP = SEED_GROUP_IDS.excluded;
const ADDS = 12;

/** Runs a command and returns the newest message the user sees that was not there before and matches. */
async function ask(text: string, match: (t: string) => boolean, user = 'U_ALICE'): Promise<LocalMessage> {
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  expect((await e2e.pgroup(text, { user })).status).toBe(200);
  return eventually(
    () => e2e.visible('C_GENERAL', user).find((m) => !before.has(`${m.channel}/${m.ts}`) && match(messageText(m))),
    `a reply to /pgroup ${text}`,
  );
}

/** The message as it is now, once it has been replaced `times` times. */
function replaced(message: LocalMessage, times: number): Promise<LocalMessage> {
  return eventually(() => {
    const now = e2e.slack.message(message.channel, message.ts);
    return now && now.updatedCount >= times ? now : undefined;
  }, `the message replaced ${times} time(s)`);
}

/** Positions of the given texts in the message; every one must be there. */
function positions(text: string, parts: string[]): number[] {
  return parts.map((p) => {
    const at = text.indexOf(p);
    if (at < 0) throw new Error(`missing ${p}`);
    return at;
  });
}

const countsOf = (n: number) => `${n - 1} → ${n} (+1 / −0)`;

const e2e = useE2E();
beforeAll(async () => {
  // Twelve applied changes to one group (the last by another user), and one to another group.
  for (let n = 1; n <= ADDS; n++) {
    // A live study uses the group, so each add is previewed, then confirmed.
    const user = n === ADDS ? 'U_BOB' : 'U_ALICE';
    const preview = await ask(`add ${GROUP} ${sandboxParticipantId(700_000 + n)}`, (t) => t.includes('op_confirm'), user);
    await e2e.click(preview, 'op_confirm', user);
    await eventually(() => messageText(e2e.slack.message(preview.channel, preview.ts)).includes('Done'), 'the add');
  }
  await ask(`rename "Pilot wave 2" "Pilot wave two"`, (t) => t.includes('Done'));
});

describe('/pgroup history', () => {
  let history: LocalMessage;

  it('shows the latest ten changes of the group, newest first, with who made them', async () => {
    expect(await e2e.store.listAudit({ groupId: GROUP, limit: 50, offset: 0 })).toHaveLength(ADDS);
    history = await ask('history "excluded"', (t) => t.includes('History of'));
    const text = messageText(history);
    expect(history.ephemeralTo).toBe('U_ALICE');
    // Newest (12th) first, down to the 3rd; the two oldest are on page 2.
    const shown = positions(text, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map(countsOf));
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(text).not.toContain(countsOf(2));
    expect(text).not.toContain(countsOf(1));
    expect(text.indexOf('<@U_BOB>')).toBeLessThan(text.indexOf('<@U_ALICE>'));
    expect(text).toContain(':white_check_mark: *add*');
    // Only this group's changes.
    expect(text).not.toContain('Pilot wave');
    expect(findButton(history, 'history_page:older')).toBeDefined();
    expect(findButton(history, 'history_page:newer')).toBeUndefined();
  });

  it('“Older ›” replaces the message in place with page 2', async () => {
    await e2e.click(history, 'history_page:older');
    const page2 = await replaced(history, 1);
    const text = messageText(page2);
    expect(page2.ts).toBe(history.ts);
    expect(text).toContain('Page 2');
    const shown = positions(text, [countsOf(2), countsOf(1)]);
    expect(shown[0]).toBeLessThan(shown[1]!);
    expect(text).not.toContain(countsOf(3));
    expect(findButton(page2, 'history_page:newer')).toBeDefined();
    expect(findButton(page2, 'history_page:older')).toBeUndefined();
    // Still one history message: the page was replaced, not posted again.
    expect(e2e.visible('C_GENERAL').filter((m) => messageText(m).includes('History of'))).toHaveLength(1);
  });

  it('“‹ Newer” goes back to page 1', async () => {
    await e2e.click(e2e.slack.message(history.channel, history.ts)!, 'history_page:newer');
    const page1 = await replaced(history, 2);
    const text = messageText(page1);
    expect(text).toContain(countsOf(12));
    expect(text).toContain(countsOf(3));
    expect(text).not.toContain(countsOf(2));
    expect(findButton(page1, 'history_page:older')).toBeDefined();
  });

  it('says so for a group nobody has changed through the app', async () => {
    const text = messageText(await ask('history "Main panel"', (t) => t.includes('History of')));
    expect(text).toContain('No changes have been made through this app yet.');
  });
});
