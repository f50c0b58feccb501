import { GroupCommit } from './group-commit';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  /** Runs that double their inputs, each held until released; what each run got is recorded. */
  function doubling() {
    const runs: number[][] = [];
    const releases: Array<() => void> = [];
    const group = new GroupCommit<number, number>(
      async (inputs) => {
        runs.push([...inputs]);
        await new Promise<void>((resolve) => releases.push(resolve));
        return inputs.map((input) => input * 2);
      },
      { weightOf: (input) => input, maxWeight: 10 },
    );
    const release = async () => {
      while (releases.length === 0) await nextTurn();
      releases.shift()!();
    };
    return { group, runs, release };
  }

  it('serves the calls of one turn with one run, each with its own answer', async () => {
    const { group, runs, release } = doubling();
    const answers = Promise.all([group.submit(1), group.submit(2), group.submit(3)]);
    await release();
    expect(await answers).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('queues the calls made during a run for the next, within maxWeight (whole calls)', async () => {
    const { group, runs, release } = doubling();
    const first = group.submit(1);
    await nextTurn();
    const later = [group.submit(4), group.submit(5), group.submit(3), group.submit(20)];
    for (let run = 0; run < 4; run += 1) await release();
    expect(await Promise.all([first, ...later])).toEqual([2, 8, 10, 6, 40]);
    // 4 + 5 fit in 10; 3 does not join them; 20 alone is over the weight and runs alone.
    expect(runs).toEqual([[1], [4, 5], [3], [20]]);
  });

  it('fails every call of a run that throws, or that answers the wrong number of calls, and goes on', async () => {
    let answer: (inputs: readonly number[]) => number[] = () => {
      throw new Error('the broker went away');
    };
    const group = new GroupCommit<number, number>(async (inputs) => answer(inputs), {
      weightOf: () => 1,
      maxWeight: 100,
    });
    const failed = [group.submit(1), group.submit(2)];
    for (const call of failed) await expect(call).rejects.toThrow('the broker went away');
    answer = () => [1];
    const short = [group.submit(1), group.submit(2)];
    for (const call of short) await expect(call).rejects.toThrow('1 answers for 2 calls run together');
    answer = (inputs) => inputs.map((input) => input + 1);
    await expect(group.submit(7)).resolves.toBe(8);
  });
});
