interface Waiting<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: calls made side by side are served by one run of `runTogether`, one run at a
 * time. The batch transport hands every partition's batch of a kafkajs fetch to a worker of its
 * own at once, and kafkajs fetches again only when all of them are done; handled apart, each
 * batch pays a write's fixed cost (a transaction's statements and commit, a produce request on
 * the idempotent producer's single request in flight) and the fetch waits for the last of them.
 * Through a GroupCommit they pay it once.
 *
 * The calls of one turn of the event loop go into the first run (the workers of one fetch start
 * together); calls made during a run wait for it and go together into the next, up to
 * `maxWeight` (whole calls: a call heavier than that alone runs alone). `runTogether` answers
 * each input of a run, in order; if it throws, every call of the run fails with its error (each
 * caller's transport then retries its own batch, and idempotent writes absorb what did land).
 */
export class GroupCommit<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private running = false;

  constructor(
    private readonly runTogether: (inputs: readonly I[]) => Promise<readonly O[]>,
    private readonly options: { readonly weightOf: (input: I) => number; readonly maxWeight: number },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.running) return;
      this.running = true;
      setImmediate(() => void this.runWhileWaiting());
    });
  }

  private async runWhileWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const run = this.takeRun();
      this.waiting = this.waiting.slice(run.length);
      await this.runOnce(run);
    }
    this.running = false;
  }

  /** The oldest call, and the ones after it while the run stays within maxWeight. */
  private takeRun(): Array<Waiting<I, O>> {
    const run = [this.waiting[0]!];
    let weight = this.options.weightOf(run[0]!.input);
    for (const call of this.waiting.slice(1)) {
      weight += this.options.weightOf(call.input);
      if (weight > this.options.maxWeight) break;
      run.push(call);
    }
    return run;
  }

  private async runOnce(run: ReadonlyArray<Waiting<I, O>>): Promise<void> {
    try {
      const outputs = await this.runTogether(run.map(({ input }) => input));
      if (outputs.length !== run.length)
        throw new Error(`${outputs.length} answers for ${run.length} calls run together`);
      run.forEach((call, index) => call.resolve(outputs[index]!));
    } catch (error) {
      for (const call of run) call.reject(error);
    }
  }
}
