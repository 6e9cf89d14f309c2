// The work after an ack resumes one request per turn of the event loop, in the order the requests
// were acknowledged, so that the requests read in between are acknowledged before it runs.
import { afterAck } from '../../src/listeners/afterAck';

describe('afterAck', () => {
  it('resumes one waiting request’s work per turn of the event loop, in the order they were acknowledged', async () => {
    // Counts the turns of the event loop (each turn reads the sockets, then runs its immediates).
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const resumed: { request: number; turn: number }[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async (request) => {
        await afterAck();
        resumed.push({ request, turn });
      }),
    );
    counting = false;
    expect(resumed.map((r) => r.request)).toEqual([1, 2, 3, 4]);
    const turns = resumed.map((r) => r.turn);
    expect(new Set(turns).size).toBe(4);
    expect(turns).toEqual([...turns].sort((a, b) => a - b));
  });

  it('resumes a request alone after one turn', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    await afterAck();
    expect(turned).toBe(true);
  });
});
