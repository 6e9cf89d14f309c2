import { describeAuditEntry, HISTORY_PAGE_SIZE, renderHistory } from '../../../src/slack/blocks/history';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { AT_UNIX, aGroup, anAuditEntry, HOSTILE, hexId } from './renderInputs';

const WHEN = `<!date^${AT_UNIX}^{date_short_pretty} {time}|2026-03-01 09:30 UTC>`;

describe('describeAuditEntry', () => {
  it('an applied change: outcome, action, who (a mention), when (a Slack date), and the counts with separators', () => {
    expect(describeAuditEntry(anAuditEntry())).toBe(`:white_check_mark: *add* by <@U_ALICE> ${WHEN} · 1,000 → 1,200 (+250 / −50)`);
  });

  it('a Workflow Builder run says so, on behalf of whom, with the run’s execution id', () => {
    expect(describeAuditEntry(anAuditEntry({ workflowRun: 'Fx0RUN1' }))).toBe(
      `:white_check_mark: *add* via Workflow Builder, on behalf of <@U_ALICE> ${WHEN} · 1,000 → 1,200 (+250 / −50) · run \`Fx0RUN1\``,
    );
  });

  it('an export says who was sent how many ids, and where', () => {
    expect(describeAuditEntry(anAuditEntry({ action: 'export', beforeName: null, afterName: null, beforeCount: 1_234, afterCount: 1_234, added: 0, removed: 0 }))).toBe(
      `:outbox_tray: *export* by <@U_ALICE> ${WHEN} · 1,234 ids, as a file in their direct messages`,
    );
  });

  it('a rename shows both names, escaped; a change without counts leaves them out', () => {
    expect(describeAuditEntry(anAuditEntry({ action: 'rename', beforeName: 'Old & tired', afterName: HOSTILE, beforeCount: null, afterCount: null, added: 0, removed: 0 }))).toBe(
      `:white_check_mark: *rename* by <@U_ALICE> ${WHEN} · Old &amp; tired → &lt;!channel&gt; R&amp;D &lt;@U123&gt; *bold* \`tick\``,
    );
  });

  it('an outcome other than applied is named, with Prolific’s error on its own line, escaped', () => {
    expect(describeAuditEntry(anAuditEntry({ outcome: 'failed', error: '<@U123> is not valid' }))).toBe(
      `:x: *add* by <@U_ALICE> ${WHEN} · 1,000 → 1,200 (+250 / −50) · failed\n      &lt;@U123&gt; is not valid`,
    );
    expect(describeAuditEntry(anAuditEntry({ outcome: 'unknown' }))).toMatch(/^:grey_question: .* · unknown$/);
    expect(describeAuditEntry(anAuditEntry({ outcome: 'partial' }))).toMatch(/^:warning: .* · partial$/);
  });

  it('a user id that is not a Slack id is shown as text, not as a mention', () => {
    expect(describeAuditEntry(anAuditEntry({ slackUserId: '<!channel>' }))).toContain('by &lt;!channel&gt; ');
  });
});

describe('renderHistory', () => {
  const entries = (n: number) => Array.from({ length: n }, (_, i) => anAuditEntry({ id: `a${i}`, added: i + 1 }));

  it(`shows a page of ${HISTORY_PAGE_SIZE} entries, newest first as given, with Older when there is more`, () => {
    const message = renderHistory(aGroup({ name: 'R&D' }), entries(HISTORY_PAGE_SIZE + 1), 0);
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[0]).toBe('History of R&amp;D');
    expect(texts[1]).toBe(`*History of* *R&amp;D* \`${hexId(0xa1)}\`, newest first`);
    const shown = texts.slice(2, 2 + HISTORY_PAGE_SIZE);
    expect(shown).toEqual(entries(HISTORY_PAGE_SIZE).map(describeAuditEntry));
    expect(texts.join('\n')).not.toContain('(+11 / −50)');
    expect(texts).toContain('Page 1');
    expect(buttonsOf(message).map((b) => [b.actionId, b.text, b.value])).toEqual([['history_page:older', 'Older ›', JSON.stringify({ groupId: hexId(0xa1), page: 1 })]]);
  });

  it('never drops an entry: each is its own section, so long entries are cut in their own place and all ten show', () => {
    const long = Array.from({ length: HISTORY_PAGE_SIZE + 1 }, (_, i) => anAuditEntry({ id: `a${i}`, added: i + 1, outcome: 'failed', error: `${'Prolific said no. '.repeat(60)}` }));
    const message = renderHistory(aGroup(), long, 0);
    expectSafeSurface(message);
    const texts = textsOf(message);
    for (let i = 1; i <= HISTORY_PAGE_SIZE; i++) expect(texts.filter((t) => t.includes(`(+${i} / −50)`))).toHaveLength(1);
    expect(texts.join('\n')).not.toContain(`(+${HISTORY_PAGE_SIZE + 1} / −50)`);
    expect(buttonsOf(message).map((b) => b.actionId)).toEqual(['history_page:older']);
  });

  it('a later page offers Newer, and Older only when there is more', () => {
    const page = renderHistory(aGroup(), entries(3), 2);
    expect(buttonsOf(page).map((b) => [b.actionId, b.value])).toEqual([['history_page:newer', JSON.stringify({ groupId: hexId(0xa1), page: 1 })]]);
    expect(textsOf(page)).toContain('Page 3');
  });

  it('says when there is nothing to show', () => {
    expect(textsOf(renderHistory(aGroup(), [], 0))[2]).toBe('No changes have been made through this app yet.');
    expect(textsOf(renderHistory(aGroup(), [], 1))[2]).toBe('No older changes.');
    expect(buttonsOf(renderHistory(aGroup(), [], 0))).toEqual([]);
  });
});
