/**
 * Flow control of webhook intake, as a broker slows its publishers: once more runs wait to
 * start than `depth`, an accepted delivery is acknowledged after a pause, so senders that wait
 * for their answer before sending again (every HTTP client with a connection limit) slow down
 * to what the workers finish. Without it a burst is accepted as fast as the API can record it
 * and the machine's CPU goes to growing the backlog instead of working it off: on the order-flow
 * bench, 50 connections had 14,000 runs waiting after 10 s while the worker, starved, finished
 * fewer than at 10 connections.
 *
 * The pause is the time the workers need for the runs above `depth` at the rate they start runs
 * (the last 10 s), at most `maxMs`: it grows with the backlog, so the backlog settles near
 * `depth` plus the number of senders. The depth limit (`CROSSDOCK_MAX_QUEUE_DEPTH`, 429) stays
 * the hard stop. Nothing is refused here, and the run is durable before the pause: a sender
 * that gives up and sends again gets the same run.
 */
export class IntakeFlow {
  private rate: { at: number; value: Promise<number> } | undefined;

  constructor(
    private readonly options: {
      /** Runs waiting to start from which deliveries pause; 0 turns flow control off. */
      depth: number;
      maxMs: number;
      /** Runs started per second over the last seconds. */
      drainRate(now: number): Promise<number>;
      now(): number;
    },
  ) {}

  /** How long to hold the answer of a delivery accepted with `waiting` runs ahead of it. */
  async pauseMs(waiting: number | undefined): Promise<number> {
    const { depth, maxMs } = this.options;
    if (waiting === undefined || depth === 0 || maxMs === 0 || waiting <= depth) return 0;
    const rate = await this.drainRate();
    return Math.min(maxMs, Math.ceil(((waiting - depth) / Math.max(rate, 1)) * 1000));
  }

  /** The drain rate, read at most once a second (every delivery of a burst asks). */
  private drainRate(): Promise<number> {
    const now = this.options.now();
    if (!this.rate || now - this.rate.at >= 1000) {
      const value = this.options.drainRate(now).catch(() => 0);
      this.rate = { at: now, value };
    }
    return this.rate.value;
  }
}
