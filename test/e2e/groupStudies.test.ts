// The studies that use a group, end to end against the sandbox's seeded studies: the group card's
// "Used by", and the warnings of risky previews.
import { SEED_FILTER_SET_ID, SEED_GROUP_IDS, SEED_PROJECT_IDS } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { csvOf, current, messageKeys, newGroup, uploadToPreview, waitForNew } from '../harness/uploads';
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

let studyNumber = 0;
/** Publishes a study in the sandbox that uses the group as its allowlist (or blocklist). */
function studyUsing(groupId: string, name: string, list: 'allowlist' | 'blocklist' = 'allowlist') {
  studyNumber += 1;
  return e2e.sandbox.state.studies.addStudy({
    id: `6650beef${studyNumber.toString(16).padStart(16, '0')}`,
    name,
    internal_name: `${name} (internal)`,
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 400,
    places_taken: 212,
    published_at: '2026-11-01T09:00:00.000Z',
    filters: [{ filter_id: `participant_group_${list}`, selected_values: [groupId] }],
  });
}

/** The mrkdwn of a message's sections, in order. */
function sections(m: LocalMessage): string[] {
  return (m.blocks as { type: string; text?: { text?: string } }[]).filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');
}

function writesSince(from: number) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.method !== 'GET');
}

describe('risky previews name the live studies that use the group', () => {
  it('Replace: the warning comes first, above the counts, with who may lose and gain access', async () => {
    const g = newGroup(e2e, 'Wave 2 panel', 30);
    studyUsing(g.id, 'Wave 2 follow-up');
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', file: { name: 'wave2.csv', content: csvOf([...g.members.slice(0, 2), ...g.outsiders(188)]) } });
    const texts = sections(preview);
    expect(texts[1]).toBe(
      ':warning: *Wave 2 follow-up* “Wave 2 follow-up (internal)” (ACTIVE, 212 of 400 places taken) uses this group as its allowlist: 28 people may lose access and 188 may gain it.',
    );
    expect(texts[2]).toContain(':rotating_light: *28 of the 30 current members will be removed, 188 added, 2 stay.*');
  });

  it('Replace of a blocklist: the opposite wording', async () => {
    const g = newGroup(e2e, 'Blocked people', 10);
    studyUsing(g.id, 'Main wave', 'blocklist');
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: [...g.members.slice(0, 7), ...g.outsiders(5)].join(' ') });
    expect(sections(preview)[1]).toBe(
      ':warning: *Main wave* “Main wave (internal)” (ACTIVE, 212 of 400 places taken) uses this group as its blocklist: 5 people may be shut out and 3 may be let in.',
    );
  });

  it('Delete: says the study’s filter will point at a deleted group, and takes the group’s name typed in a form', async () => {
    const g = newGroup(e2e, 'Doomed panel', 12);
    studyUsing(g.id, 'Running study');
    const before = messageKeys(e2e);
    await e2e.pgroup(`delete "${g.name}"`);
    const preview = await waitForNew(e2e, before, (t) => t.includes('Doomed panel') && t.includes('op_cancel'), 'the delete preview');
    expect(sections(preview)[1]).toBe(
      ':warning: *Running study* “Running study (internal)” (ACTIVE, 212 of 400 places taken) uses this group as its allowlist: its filter will then point at a deleted group.',
    );
    expect(findButton(preview, 'op_confirm')).toBeUndefined();
    const operationId = findButton(preview, 'op_cancel')!.value!;
    const from = e2e.sandbox.requests.length;

    // A confirmation without the typed name (an old or crafted click) is refused.
    const beforeRefusal = messageKeys(e2e);
    await e2e.driver.blockAction({ user: 'U_ALICE', channel: 'C_GENERAL', actionId: 'op_confirm', value: operationId });
    await waitForNew(e2e, beforeRefusal, (t) => t.includes('that a live study uses takes its name, typed'), 'the refusal');

    const openViews = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.click(preview, 'op_confirm_typed');
    const form = await eventually(() => e2e.slack.openModals('U_ALICE').find((v) => !openViews.has(v.id) && v.view.callback_id === 'typed_delete_modal'), 'the delete form');
    expect(JSON.stringify(form.view.blocks)).toContain('*Running study* “Running study (internal)” uses it: its filter will then point at a deleted group.');

    const wrong = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { typed_name_input: 'doomed panel' } });
    expect(wrong.outcome).toEqual({ outcome: 'errors', errors: { typed_name: 'That is not the group’s name. Type “Doomed panel” exactly to delete it, or cancel.' } });
    expect(writesSince(from)).toEqual([]);

    const beforeDone = messageKeys(e2e);
    const right = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { typed_name_input: ' Doomed panel ' } });
    expect(right.outcome.outcome).toBe('closed');
    await waitForNew(e2e, beforeDone, (t) => t.includes('Done: you deleted'), 'the outcome');
    expect(writesSince(from).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${g.path}`]);
  });

  it('a study that starts using the group between preview and confirm: a fresh preview with the warning, nothing written', async () => {
    const g = newGroup(e2e, 'Quiet panel', 20);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: g.outsiders(4).join(' ') });
    expect(messageText(preview)).not.toContain(':warning:');
    studyUsing(g.id, 'Late starter');
    const from = e2e.sandbox.requests.length;
    await e2e.click(preview, 'op_confirm');
    const stale = await eventually(() => {
      const now = current(e2e, preview);
      return now.updatedCount > 0 && now;
    }, 'the preview replaced');
    const texts = sections(stale);
    expect(texts[0]).toBe(
      ':arrows_counterclockwise: *A live study started using this group since your preview:* *Late starter* “Late starter (internal)” (ACTIVE, 212 of 400 places taken). Nothing was written. Here is a fresh preview:',
    );
    expect(texts[2]).toContain('*Late starter* “Late starter (internal)” (ACTIVE, 212 of 400 places taken) uses this group as its allowlist: 20 people may lose access and 4 may gain it.');
    expect(writesSince(from)).toEqual([]);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('cancelled');

    // The fresh preview, confirmed, writes.
    await e2e.click(stale, 'op_confirm');
    await eventually(() => messageText(current(e2e, preview)).includes('Done'), 'the outcome');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.outsiders(4));
  });

  it('Prolific failing during the study lookup: the preview says the check could not be made, and still works', async () => {
    const g = newGroup(e2e, 'Unchecked panel', 8);
    const removeFault = e2e.sandbox.faults.add({ method: 'GET', path: '/api/v1/studies/', status: 503 });
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'remove', pasted: g.members.slice(0, 2).join(' ') });
    expect(sections(preview)[1]).toBe(
      ':warning: Could not check which studies use this group: Prolific did not answer. Live studies may use it. Check in Prolific before you confirm.',
    );
    removeFault();
    await e2e.click(preview, 'op_confirm');
    await eventually(() => messageText(current(e2e, preview)).includes('Done'), 'the outcome');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members.slice(2));
  });
});
