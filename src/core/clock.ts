/**
 * The one clock: every part of the core, browser mode and the demo board take "now" from a
 * `Clock` they are given, so a test (or browser mode under test) can put the whole app on
 * another day and the suite never depends on today's date.
 */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()

/** A clock that reads `startMs` now and moves in real time from there. */
export function clockStartingAt(startMs: number, real: Clock = systemClock): Clock {
  const offset = startMs - real()
  return () => real() + offset
}

/**
 * Browser mode's clock: the real time, unless `start` (an ISO-8601 instant, from `--now` or
 * GUICHET_NOW, meant for tests) says where it starts.
 */
export function clockFromOption(start: string | undefined): Clock {
  if (!start) return systemClock
  const ms = Date.parse(start)
  // Date.parse rolls 30 February over to March: the day must read back the same.
  const day = start.slice(0, 10)
  const isInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(start)
  if (!isInstant || !Number.isFinite(ms) || new Date(`${day}T12:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new Error(`--now / GUICHET_NOW: not an ISO-8601 instant: ${start}`)
  }
  return clockStartingAt(ms)
}
