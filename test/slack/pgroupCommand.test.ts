import fc from 'fast-check';
import { parsePgroupCommand } from '../../src/slack/pgroupCommand';

describe('parsePgroupCommand', () => {
  it.each([
    ['', { kind: 'help', unknown: null }],
    ['help', { kind: 'help', unknown: null }],
    ['frobnicate x', { kind: 'help', unknown: 'frobnicate' }],
    ['list', { kind: 'list', filter: '' }],
    ['list pilot', { kind: 'list', filter: 'pilot' }],
    ['LIST "Main panel"', { kind: 'list', filter: 'Main panel' }],
    ['show Pilot', { kind: 'show', group: 'Pilot' }],
    ['show "Pilot wave 2"', { kind: 'show', group: 'Pilot wave 2' }],
    ['show Pilot wave 2', { kind: 'show', group: 'Pilot wave 2' }],
    ['show “Pilot wave 2”', { kind: 'show', group: 'Pilot wave 2' }],
    ['create Wave 3 -- Second wave of the diet study', { kind: 'create', name: 'Wave 3', description: 'Second wave of the diet study' }],
    ['create "Wave 3"', { kind: 'create', name: 'Wave 3', description: null }],
    ['rename Pilot "Pilot (done)"', { kind: 'rename', group: 'Pilot', newName: 'Pilot (done)' }],
    ['rename "Pilot wave 2" Wave two', { kind: 'rename', group: 'Pilot wave 2', newName: 'Wave two' }],
    ['rename Pilot', { kind: 'rename', group: 'Pilot', newName: null }],
    ['add Pilot a,b\nc', { kind: 'add', group: 'Pilot', idsText: 'a,b\nc' }],
    // No ids: the upload form for the group, in that mode.
    ['add Pilot', { kind: 'upload', group: 'Pilot', mode: 'add' }],
    ['replace "Main panel"', { kind: 'upload', group: 'Main panel', mode: 'replace' }],
    ['remove "Main panel" x y', { kind: 'remove', group: 'Main panel', idsText: 'x y' }],
    ['replace Pilot a b', { kind: 'replace', group: 'Pilot', idsText: 'a b' }],
    ['add "Main panel" --from-group "Screener A"', { kind: 'fromGroup', mode: 'add', group: 'Main panel', other: 'Screener A' }],
    ['remove Wave2 —from-group Low quality', { kind: 'fromGroup', mode: 'remove', group: 'Wave2', other: 'Low quality' }],
    ['keep "Wave 2" --in-group Consented', { kind: 'fromGroup', mode: 'keep', group: 'Wave 2', other: 'Consented' }],
    ['copy "Wave 2" "Wave 2 (frozen)"', { kind: 'copy', group: 'Wave 2', newName: 'Wave 2 (frozen)' }],
    ['add Pilot --from-study "Wave 1 main survey"', { kind: 'fromStudy', mode: 'add', group: 'Pilot', study: 'Wave 1 main survey', statuses: ['APPROVED'] }],
    [
      'replace "Main panel" —from-study wave1-main —status approved,awaiting-review',
      { kind: 'fromStudy', mode: 'replace', group: 'Main panel', study: 'wave1-main', statuses: ['APPROVED', 'AWAITING REVIEW'] },
    ],
    ['remove Pilot –from-study Wave 1 --status Timed_out returned', { kind: 'fromStudy', mode: 'remove', group: 'Pilot', study: 'Wave 1', statuses: ['TIMED-OUT', 'RETURNED'] }],
    ['upload', { kind: 'upload', group: null }],
    ['upload Main panel', { kind: 'upload', group: 'Main panel' }],
    ['members Pilot', { kind: 'members', group: 'Pilot' }],
    ['delete Pilot', { kind: 'delete', group: 'Pilot' }],
    ['history Pilot', { kind: 'history', group: 'Pilot' }],
    ['watch Pilot', { kind: 'watch', group: 'Pilot', dm: false }],
    ['unwatch Pilot', { kind: 'unwatch', group: 'Pilot', dm: false }],
    ['watch "Pilot wave" --dm', { kind: 'watch', group: 'Pilot wave', dm: true }],
    ['watch --dm Pilot wave', { kind: 'watch', group: 'Pilot wave', dm: true }],
    ['unwatch Pilot —dm', { kind: 'unwatch', group: 'Pilot', dm: true }],
    ['watch Pilot--dm', { kind: 'watch', group: 'Pilot--dm', dm: false }],
    ['message "Main panel"', { kind: 'message', group: 'Main panel' }],
    ['watching', { kind: 'watching', scope: 'channel' }],
    ['watching all', { kind: 'watching', scope: 'workspace' }],
  ])('%j', (text, expected) => {
    expect(parsePgroupCommand(text)).toEqual({ ok: true, command: expected });
  });

  it('undoes Slack’s escaping of &, < and >', () => {
    expect(parsePgroupCommand('create R&amp;D &lt;core&gt;')).toEqual({ ok: true, command: { kind: 'create', name: 'R&D <core>', description: null } });
  });

  it.each(['show', 'remove', 'rename', 'create', 'create -- only a description'])('answers %j with a usage message', (text) => {
    const parsed = parsePgroupCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.usage).toMatch(/Usage: `\/pgroup /);
  });

  it('never throws, and returns a command or a usage message (property)', () => {
    const words = fc.constantFrom('help', 'list', 'show', 'create', 'rename', 'add', 'remove', 'members', 'delete', 'upload', 'history', 'watch', 'unwatch', 'watching', '--', '"', '“', "'", '&amp;', '&lt;', ' ', '\n');
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 12 }).map((w) => w.join(' ')), fc.string({ unit: 'binary', maxLength: 100 }));
    fc.assert(
      fc.property(text, (t) => {
        const parsed = parsePgroupCommand(t);
        if (parsed.ok) {
          expect(typeof parsed.command.kind).toBe('string');
          if ('group' in parsed.command && parsed.command.group !== null) expect(parsed.command.group.trim()).not.toBe('');
        } else {
          expect(parsed.usage.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
