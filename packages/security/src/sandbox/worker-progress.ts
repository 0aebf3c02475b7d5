// What a sandbox worker tells its host's watchdog through shared memory, readable even while the
// worker's thread is stuck in a runaway loop: which plugin instance is running guest code right
// now, and how many calls of each request have started. With these the host blames the plugin
// that overran, and tells the calls that never started (safe to run again on a fresh instance)
// from those that were cut off part-way (which may have had effects, and are not run twice).

/** Slot holding the key of the instance running guest code (0 when none). */
export const ACTIVITY_SLOT = 1;
const STARTED_BASE = 2;
/** Requests tracked at once; ids wrap around this many slots, far more than are ever pending. */
const STARTED_SLOTS = 1024;

export function progressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (STARTED_BASE + STARTED_SLOTS));
}

/** The slot counting the calls of request `id` that have started. */
export function startedSlot(id: number): number {
  return STARTED_BASE + (id % STARTED_SLOTS);
}
