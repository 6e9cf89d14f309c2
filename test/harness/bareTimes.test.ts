import { bareTimesIn } from './bareTimes';

describe('bareTimesIn', () => {
  it('finds a clock time outside Slack date tokens, and nothing inside them', () => {
    expect(bareTimesIn('Undo the upload of 14:02')).toEqual(['14:02']);
    expect(bareTimesIn('at 9:30, then')).toEqual(['9:30']);
    expect(bareTimesIn('expires <!date^1764597720^{time}|at 14:02 UTC>.')).toEqual([]);
    expect(bareTimesIn('<!date^1764597720^{date_short_pretty} {time}|2026-12-01 14:02 UTC> · 5e9b9c9b0f9c9a0001b0b1f4 · line 8: x')).toEqual([]);
    expect(bareTimesIn('http://127.0.0.1:3000/slack 10:305')).toEqual([]);
  });
});
