/**
 * Passes over a whole log written as generators that yield every STEP_ITEMS
 * items. The CLI runs them straight through (runSteps); the worker runs them
 * between requests, yielding to its event loop when a slice has run its time,
 * so building a 1 GiB log's verifier model never holds up a request for rows.
 */
export type Steps<T> = Generator<void, T, void>;

/** Items (lines, records) between yields: a yield costs far less than this many items. */
export const STEP_ITEMS = 1 << 16;
export const STEP_MASK = STEP_ITEMS - 1;

/** Runs steps to their end, in one go. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
