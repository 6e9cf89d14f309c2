// The studies that use a group, end to end against the sandbox's seeded studies: the group card's
// "Used by", and the warnings of risky previews.
import { SEED_FILTER_SET_ID, SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const e2e = useE2E();

/** Runs a command as Alice and returns the first new message she sees that matches. */
async function ask(text: string, match: (t: string) => boolean = () => true): Promise<LocalMessage> {
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  const res = await e2e.pgroup(text);
  expect(res.status).toBe(200);
  return eventually(
    () => e2e.slack.messages().find((m) => !before.has(`${m.channel}/${m.ts}`) && (!m.ephemeralTo || m.ephemeralTo === 'U_ALICE') && match(messageText(m))),
    `a reply to /pgroup ${text}`,
  );
}

/** The mrkdwn of the card's "Used by" section. */
function usedBy(card: LocalMessage): string {
  const block = (card.blocks as { text?: { text?: string } }[]).find((b) => b.text?.text?.startsWith('*Used by*'));
  if (!block) throw new Error(`no Used by section in ${messageText(card)}`);
  return block.text!.text!;
}

describe('the group card: Used by', () => {
  it('names a live study that uses the group as its allowlist, with its internal name, state and places taken', async () => {
    const text = usedBy(await ask(`show ${SEED_GROUP_IDS.mainPanel}`));
    expect(text).toContain('• *Wave 2 follow-up* “W2 follow-up (main panel)” (ACTIVE, 212 of 400 places taken): allowlist');
    expect(text).toContain('• *Panel refresh* “panel-refresh-q4” (PUBLISHING, 0 of 1,000 places taken): allowlist (with 1 other group)');
    expect(text).not.toContain('Wave 1 main survey');
  });

  it('finds a blocklist inside nested and/or filters', async () => {
    const text = usedBy(await ask(`show ${SEED_GROUP_IDS.excluded}`));
    expect(text).toBe('*Used by*\n• *Reaction times* “rt-battery-b” (PAUSED, 57 of 150 places taken): blocklist (inside a combined filter)');
  });

  it('finds the group in the filter-set version a study pins, and the studies that feed or drain it', async () => {
    const text = usedBy(await ask(`show ${SEED_GROUP_IDS.attentionChecks}`));
    expect(text).toContain(`*Attention follow-up* “att-followup” (ACTIVE, 12 of 100 places taken): allowlist (in filter set \`${SEED_FILTER_SET_ID}\` version 1)`);
    expect(text).toContain(
      '*Attention screener* “attention-screener-v3” (ACTIVE, 143 of 500 places taken): adds people to it (completion code `C1ATTPASS`); removes people from it (completion code `C1ATTFAIL`)',
    );
    // Version 2 of the same filter set names another group: the Weekend panel does not use this one.
    expect(text).not.toContain('Weekend panel');
  });

  it('lists drafts as drafts, after the live studies', async () => {
    const text = usedBy(await ask(`show ${SEED_GROUP_IDS.pilot}`));
    const lines = text.split('\n').slice(1);
    expect(lines[0]).toBe(`• *Weekend panel* (SCHEDULED, 0 of 200 places taken): allowlist (in filter set \`${SEED_FILTER_SET_ID}\` version 2)`);
    expect(lines[1]).toBe('• *Wave 3* “wave3-draft” (UNPUBLISHED, a draft): allowlist (with 1 other group)');
    // Pilot retest is AWAITING REVIEW: neither live nor a draft.
    expect(text).not.toContain('Pilot retest');
  });

  it('says the studies could not be checked when Prolific fails, and still shows the card', async () => {
    e2e.sandbox.faults.add({ method: 'GET', path: '/api/v1/studies/', status: 503 });
    const card = await ask(`show ${SEED_GROUP_IDS.pilotWave2}`);
    expect(messageText(card)).toContain('Pilot wave 2');
    expect(usedBy(card)).toBe(
      '*Used by*\n:warning: Could not check which studies use this group: Prolific did not answer. Studies may still use it. Try again in a minute.',
    );
  });
});
