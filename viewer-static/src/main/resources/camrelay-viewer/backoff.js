/**
 * Exponential backoff with jitter for reconnecting.
 *
 * Delay n (0-based) is min(maxMs, initialMs * factor^n), then shortened by a random
 * share of up to `jitter` (0.5 → between 50 % and 100 % of the nominal delay), so that
 * many viewers of a restarted relay do not all reconnect in the same instant.
 */
export class Backoff {
  constructor({ initialMs = 500, maxMs = 15000, factor = 2, jitter = 0.5, random = Math.random } = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
    this.random = random;
    this.attempts = 0;
  }

  /** The delay before the next attempt, in milliseconds; each call backs off further. */
  next() {
    const nominal = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, this.attempts));
    this.attempts++;
    return Math.round(nominal * (1 - this.jitter * this.random()));
  }

  /** Call after a connection proved healthy: the next failure starts again at initialMs. */
  reset() {
    this.attempts = 0;
  }
}
