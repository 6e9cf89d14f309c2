// Property tests that complete the ones beside the code (test/slack/pgroupCommand.test.ts,
// test/slack/groupResolution.test.ts, test/services/csvIds.property.test.ts). Those draw
// queries at random, so a query almost never names a group and "never picks a group the user did
// not name" is mostly checked on not-found answers; here the queries are made from the groups'
// own names (any case and spacing, prefixes, ids), so finding and ambiguity are exercised on
// most runs. The parser is checked to answer only with the commands it knows, and to read back
// any quoted group name exactly.
import fc from 'fast-check';
import type { ParticipantGroup } from '../../src/prolific/types';
import { matchKind, normaliseGroupName, resolveGroup } from '../../src/services/groupResolution';
import { parsePgroupCommand } from '../../src/slack/pgroupCommand';

const KINDS = ['help', 'list', 'show', 'members', 'delete', 'history', 'watch', 'unwatch', 'create', 'rename', 'add', 'remove', 'upload', 'watching'];

function group(id: string, name: string, isDeleted = false): ParticipantGroup {
  return { id, name, description: null, workspace_id: 'w', organisation_id: null, project_id: null, participant_count: 0, is_deleted: isDeleted, feeder_studies: [] };
}

describe('the /pgroup parser', () => {
  it('answers any text with a command it knows, or a usage message that shows the command', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 })), (text) => {
        const parsed = parsePgroupCommand(text);
        if (parsed.ok) expect(KINDS).toContain(parsed.command.kind);
        else expect(parsed.usage).toMatch(/`\/pgroup [a-z]+/);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any quoted group name exactly, whatever follows the subcommand', () => {
    // Names as researchers write them: anything but the quote characters and Slack's escapes.
    const name = fc
      .string({ minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/["“”‘’'&\u00a0]/g, 'x').trim())
      .filter((s) => s !== '');
    fc.assert(
      fc.property(fc.constantFrom('show', 'members', 'delete', 'history', 'watch', 'unwatch', 'upload'), name, (sub, n) => {
        const parsed = parsePgroupCommand(`${sub} "${n}"`);
        expect(parsed).toMatchObject({ ok: true, command: { kind: sub, group: n } });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('name resolution', () => {
  const names = fc.array(fc.string({ minLength: 1, maxLength: 16 }).filter((s) => s.trim() !== ''), { minLength: 1, maxLength: 12 });
  /** A query made from one of the groups: its id, its name in another case and spacing, or a prefix of the name. */
  const scenario = names.chain((list) =>
    fc.record({
      groups: fc.constant(list.map((n, i) => group(i.toString(16).padStart(24, '0'), n, i % 7 === 6))),
      pick: fc.nat({ max: list.length - 1 }),
      how: fc.constantFrom('id', 'exact', 'prefix'),
      cut: fc.nat({ max: 16 }),
      upper: fc.boolean(),
      pad: fc.constantFrom('', ' ', '  '),
    }),
  );

  it('finds a group only when the query is its id or part of its name that no other group matches as well; never a deleted one', () => {
    let found = 0;
    let ambiguous = 0;
    fc.assert(
      fc.property(scenario, ({ groups, pick, how, cut, upper, pad }) => {
        const chosen = groups[pick]!;
        let query = how === 'id' ? chosen.id : how === 'exact' ? chosen.name : chosen.name.slice(0, Math.max(1, cut));
        if (upper) query = query.toUpperCase();
        query = `${pad}${query.replace(/ /g, pad || ' ')}${pad}`;
        const wanted = normaliseGroupName(query);
        const live = groups.filter((g) => !g.is_deleted);
        const result = resolveGroup(query, groups);
        if (result.kind === 'found') {
          found++;
          const g = result.group;
          expect(g.is_deleted).toBe(false);
          const byId = g.id.toLowerCase() === wanted;
          const exact = normaliseGroupName(g.name) === wanted;
          // Named by id, or its name holds what was typed and no other group matches as well (exact > prefix > word > anywhere).
          const rank = (name: string) => ['exact', 'prefix', 'word', 'substring'].indexOf(matchKind(normaliseGroupName(name), wanted) ?? '');
          expect(byId || exact || rank(g.name) >= 0).toBe(true);
          if (!byId) for (const o of live) if (o !== g && rank(o.name) >= 0) expect(rank(o.name)).toBeGreaterThan(rank(g.name));
        } else if (result.kind === 'ambiguous') {
          ambiguous++;
          expect(result.candidates.length).toBeGreaterThan(1);
          for (const c of result.candidates) {
            expect(c.is_deleted).toBe(false);
            expect(normaliseGroupName(c.name).includes(wanted)).toBe(true);
          }
        } else if (!chosen.is_deleted && (how === 'id' || how === 'exact')) {
          // A live group's id or exact name is never "not found"... unless that name matches several groups.
          throw new Error(`"${query}" did not find ${chosen.id} "${chosen.name}"`);
        }
      }),
      { numRuns: 2000 },
    );
    // The property was exercised where it matters, not only on misses.
    expect(found).toBeGreaterThan(800);
    expect(ambiguous).toBeGreaterThan(0);
  });
});
