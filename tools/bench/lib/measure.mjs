// Measures several implementations of the same work side by side, in one process and one run,
// with tinybench. Each task runs `batch` operations per timed iteration, because the operations
// measured here take well under a microsecond and a clock read per operation would swamp them.
// Rounds alternate between tasks so that drift of a busy machine hits all of them alike; the
// figure kept is the median over rounds of each round's median iteration time.
import { Bench } from 'tinybench';

/**
 * @param {Array<{ name: string, fn: () => unknown }>} tasks  fn runs `batch` operations (may be async)
 * @param {{ batch: number, rounds?: number, time?: number, quick?: boolean }} options  quick: one short round
 * @returns {Promise<Map<string, number>>} operations per second per task
 */
export async function measure(tasks, { batch, rounds = 5, time = 400, quick = false }) {
  if (quick) {
    rounds = 1;
    time = 20;
  }
  const perRound = new Map(tasks.map((task) => [task.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const task of order) {
      // Quick: two iterations are enough to prove the task runs; ten give a median worth reading.
      const bench = new Bench({ time, warmupTime: quick ? 5 : round === 0 ? 300 : 50, iterations: quick ? 2 : 10 });
      bench.add(task.name, task.fn);
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state} ${result.error ?? ''}`);
      perRound.get(task.name).push(batch / (result.latency.p50 / 1000));
    }
  }
  return new Map([...perRound].map(([name, values]) => [name, median(values)]));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
