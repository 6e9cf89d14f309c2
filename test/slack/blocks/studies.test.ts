import type { PlanSummary } from '../../../src/services/changes';
import type { StudyFacts, StudyUsage } from '../../../src/services/studies';
import { renderGroupCard } from '../../../src/slack/blocks/groups';
import { renderStudyWarnings, renderUsedBy, STUDIES_SHOWN } from '../../../src/slack/blocks/studies';
import { expectSafeSurface, textsOf } from './expectSafeSurface';
import { aGroup, HOSTILE, hexId } from './renderInputs';

function aStudy(overrides: Partial<StudyUsage> = {}): StudyUsage {
  return {
    studyId: hexId(0xbe),
    name: 'Wave 2 follow-up',
    internalName: 'W2 follow-up',
    status: 'ACTIVE',
    phase: 'live',
    placesTaken: 1212,
    totalPlaces: 4000,
    uses: [{ kind: 'allowlist', via: 'filters', filterSet: null, nested: false, sharedWith: [] }],
    ...overrides,
  };
}

const checked = (studies: StudyUsage[]): StudyFacts => ({ checked: true, studies, failure: null });
const summary = (toAdd: number, toRemove: number): PlanSummary => ({
  currentTotal: 100,
  newTotal: 100 + toAdd - toRemove,
  toAdd,
  toRemove,
  unchanged: 100 - toRemove,
  alreadyPresent: 0,
  notPresent: 0,
  sampleAdd: [],
  sampleRemove: [],
});

describe('renderUsedBy (the group card)', () => {
  it('escapes study names, internal names and codes, and counts the studies past the first few', () => {
    const studies = Array.from({ length: STUDIES_SHOWN + 3 }, (_, i) =>
      aStudy({ studyId: hexId(i), name: `${HOSTILE} ${i}`, internalName: HOSTILE, uses: [{ kind: 'feeds', code: '<!here>', codeType: 'COMPLETED' }] }),
    );
    const card = renderGroupCard(aGroup(), checked(studies));
    expectSafeSurface(card);
    const text = textsOf(card).find((t) => t.startsWith('*Used by*'))!;
    expect(text.split('\n')).toHaveLength(STUDIES_SHOWN + 2);
    expect(text).toContain('“&lt;!channel&gt; R&amp;D &lt;@U123&gt; *bold* `tick`” (ACTIVE, 1,212 of 4,000 places taken): adds people to it (completion code `&lt;!here&gt;`)');
    expect(text.endsWith('…and 3 more')).toBe(true);
  });

  it('an internal name equal to the public one is not repeated; no study at all is said plainly', () => {
    expect(JSON.stringify(renderUsedBy(checked([aStudy({ internalName: ' Wave 2 follow-up ' })])))).toContain('• *Wave 2 follow-up* (ACTIVE');
    expect(renderUsedBy(checked([]))).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Used by*\nNo live or draft study uses this group.' } });
  });

  it('a rate-limited check says Prolific is busy, and that studies found before the failure may not be all', () => {
    const facts: StudyFacts = { checked: false, studies: [aStudy()], failure: { status: 429, kind: 'http' } };
    expect(JSON.stringify(renderUsedBy(facts))).toContain('Could not check which studies use this group: Prolific is busy (too many requests). Other studies may use it too.');
  });
});

describe('renderStudyWarnings (risky previews)', () => {
  const text = (facts: StudyFacts | null, kind: 'membership' | 'delete', s: PlanSummary | null) => renderStudyWarnings(facts, kind, s).map((b) => JSON.stringify(b));

  it('says "may", with the counts of the change, for an allowlist and (reversed) a blocklist', () => {
    expect(text(checked([aStudy()]), 'membership', summary(188, 28))[0]).toContain('uses this group as its allowlist: 28 people may lose access and 188 may gain it.');
    expect(text(checked([aStudy()]), 'membership', summary(0, 1))[0]).toContain('as its allowlist: 1 person may lose access.');
    const blocked = aStudy({ uses: [{ kind: 'blocklist', via: 'filter_set', filterSet: { id: hexId(5), version: 2 }, nested: false, sharedWith: [] }] });
    expect(text(checked([blocked]), 'membership', summary(0, 4))[0]).toContain('as its blocklist through its filter set: 4 people may be let in.');
  });

  it('a feeder study keeps feeding the group; drafts are a note; nothing is said when the studies were not looked at', () => {
    const feeder = aStudy({ name: 'Screener', internalName: null, uses: [{ kind: 'feeds', code: 'C1', codeType: 'COMPLETED' }] });
    const draft = aStudy({ name: 'Wave 3', internalName: null, status: 'UNPUBLISHED', phase: 'draft' });
    const [live, drafts] = text(checked([feeder, draft]), 'membership', summary(1, 1));
    expect(live).toContain('*Screener* (ACTIVE, 1,212 of 4,000 places taken) adds people to this group when they finish. It will go on doing so after this change.');
    expect(drafts).toContain('Draft study using this group: *Wave 3* (allowlist).');
    expect(renderStudyWarnings(null, 'membership', summary(1, 1))).toEqual([]);
  });
});
