import { performance } from 'node:perf_hooks';

// How long requests hold the server's event loop, seen from outside: GET /__mock/health polled
// back to back over real HTTP, and the longest gap between two of its answers. Shared by the
// event-loop tests (test/stress/budget.stress.test.ts, test/resources/lists/lists-stall.test.ts)
// and the stall benchmarks (bench/list-stall.ts, bench/team-stall.ts).

export interface HealthPoll {
  /** Stops polling; answers the longest gap between two answers (ms) and how many were not a 200. */
  stop: () => Promise<{ worst: number; failed: number }>;
}

export function pollHealth(base: string): HealthPoll {
  let running = true;
  let worst = 0;
  let failed = 0;
  const loop = (async () => {
    let last = performance.now();
    while (running) {
      // A request that fails (the client's own timeout after a long stall) still ends a gap.
      const status = await fetch(`${base}/__mock/health`)
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0);
      if (status !== 200) failed++;
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { worst, failed };
    },
  };
}

/** Runs `work` while polling (after a head start, so the poll is going when the work lands); answers its result and the poll's figures. */
export async function whilePolling<T>(base: string, work: () => Promise<T>, headStartMs = 30): Promise<{ result: T; worst: number; failed: number }> {
  const poll = pollHealth(base);
  await new Promise((r) => setTimeout(r, headStartMs));
  try {
    const result = await work();
    return { result, ...(await poll.stop()) };
  } catch (e) {
    await poll.stop();
    throw e;
  }
}
