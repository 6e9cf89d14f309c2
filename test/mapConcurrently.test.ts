import { mapConcurrently } from '../src/mapConcurrently';
import { sleep } from './support/sleep';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('keeps input order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapConcurrently([5, 1, 4, 2, 3], 2, async (n) => {
    running += 1;
    peak = Math.max(peak, running);
    await sleep(n * 3);
    running -= 1;
    return n * 10;
  });
  expect(results).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
});

test('after a failure no further call starts, and the failure is what rejects', async () => {
  const started: number[] = [];
  const gate = deferred();
  const outcome = mapConcurrently([1, 2, 3, 4, 5], 2, async (n) => {
    started.push(n);
    if (n === 1) throw new Error('first failed');
    await gate.promise;
    return n;
  });
  await expect(outcome).rejects.toThrow('first failed');
  gate.resolve();
  expect(started).toEqual([1, 2]);
});

test('an empty list resolves at once; a limit below 1 is refused', async () => {
  await expect(mapConcurrently([], 3, async () => 1)).resolves.toEqual([]);
  await expect(mapConcurrently([1], 0, async () => 1)).rejects.toThrow(RangeError);
});
