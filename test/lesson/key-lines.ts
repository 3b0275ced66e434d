/**
 * What each lesson notebook must print, checked from the printed lines themselves: every expected
 * value is derived from the computation the notebook describes (its own printed sizes, or a count the
 * test computes), never copied from a run. Keys are notebook file-name prefixes.
 */
import { expect } from "vitest";

/** Primes below n, by a sieve: the test's own count to compare a notebook's "Found N primes" with. */
export function primeCount(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

/** Every match of `re` (global) in `text`, as capture arrays. */
function all(text: string, re: RegExp): RegExpExecArray[] {
  return [...text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`))];
}

function one(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text);
  expect(m, `expected the notebook to print ${what} (${re})`).not.toBeNull();
  return m!;
}

const parseList = (s: string): number[] => JSON.parse(s) as number[];

/** Checks keyed by notebook prefix; `text` is everything the notebook printed, in cell order. */
export const keyLineChecks: Record<string, (text: string) => void> = {
  "00-": (text) => {
    // The event loop's fixed order: the cell's own code, then the microtask, then the timer, then the resumed cell.
    const order = [1, 2, 3, 4].map((n) => text.indexOf(`\n${n}. `));
    expect(order.every((p) => p >= 0), "all four order lines").toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Blocking the loop: the 10 ms ticker ticks while the loop is free, at most once during 300 ms of computation.
    const idle = Number(one(text, /with the loop free: (\d+) ticks/, "the idle ticks")[1]);
    const busy = Number(one(text, /300 ms of computation on the loop: (\d+) tick/, "the busy ticks")[1]);
    expect(idle).toBeGreaterThan(1);
    expect(busy).toBeLessThanOrEqual(1);
    expect(text).toMatch(/4 hashes at once on the libuv pool: +\d+ ms/);
  },
  "01-": (text) => {
    // thread.py: 5 workers, each sleeping 2 s. All five are running before the first one finishes
    // (an overlap count, robust on a loaded machine), and the total is far below 5 x 2 s.
    const running = [0, 1, 2, 3, 4].map((i) => text.indexOf(`Worker ${i} is running`));
    const finished = [0, 1, 2, 3, 4].map((i) => text.indexOf(`Worker ${i} has finished`));
    expect(running.every((p) => p >= 0) && finished.every((p) => p >= 0), "every worker prints both lines").toBe(true);
    expect(Math.max(...running)).toBeLessThan(Math.min(...finished));
    const [, n, seconds, sleep] = one(text, /All (\d+) workers finished in ([\d.]+) s \(one after another: \d+ x (\d+) s/, "the elapsed time");
    const total = Number(n) * Number(sleep);
    expect(Number(seconds)).toBeGreaterThanOrEqual(Number(sleep));
    expect(Number(seconds)).toBeLessThan(total / 2);
    // Arguments are copied: the notebook's list kept its length; shared memory is seen by the notebook.
    expect(text).toMatch(/in the notebook: 2 items, retries = 3/);
    expect(text).toMatch(/the notebook sees: \[100, ?200, ?300\]|the notebook sees: \[ 100, 200, 300 \]/);
    // Failures come back through join(): the closure that cannot travel, and the target's own exception.
    expect(text).toMatch(/join\(\) rejected: .*uses `limit` from outside its body/);
    expect(text).toMatch(/join\(\) rejected with RemoteError \(in the thread: RangeError\): bad record id/);
  },
  "02-": (text) => {
    const notebookPid = Number(one(text, /the notebook's process id: (\d+)/, "the notebook's pid")[1]);
    const pids = all(text, /^process id: (\d+)$/m).map((m) => Number(m[1]));
    const ppids = all(text, /^parent process: (\d+)$/m).map((m) => Number(m[1]));
    const started = all(text, /^Process (\d+) is running$/m).length;
    expect(started).toBeGreaterThan(1);
    expect(pids.length).toBe(started);
    expect(new Set(pids).size, "each child process has its own pid").toBe(started);
    expect(pids).not.toContain(notebookPid);
    expect(new Set(ppids)).toEqual(new Set([notebookPid]));
    for (let i = 0; i < started; i++) expect(text).toContain(`Process ${i} has finished`);
    // process.py: the five 2 s sleeps overlapped (far below 5 x 2 s one after another).
    const [, n, seconds] = one(text, /All (\d+) processes finished in ([\d.]+) s/, "the elapsed time");
    expect(Number(seconds)).toBeGreaterThanOrEqual(2);
    expect(Number(seconds)).toBeLessThan(Number(n) * 2);
  },
  "03-": (text) => {
    for (const row of ["start cost", "memory", "message round trip", "crash"]) expect(text.toLowerCase()).toContain(row);
    // A pending async task costs a few hundred bytes of heap (measured between two forced collections), never less than nothing.
    const asyncBytes = Number(one(text, /async task (\d+) bytes/, "the async task's memory")[1]);
    expect(asyncBytes).toBeGreaterThan(0);
    expect(asyncBytes).toBeLessThan(10_000);
    // A worker's uncaught throw: caught through 'error' with a listener; without one it ends the parent (a separate node) before its timer.
    expect(text).toContain("with an 'error' listener: the notebook caught RangeError: bad input in the worker; the worker exited with code 1");
    expect(text).toMatch(/^without one: the parent process exited with code 1, printing ""$/m);
    expect(text).toMatch(/its last words: RangeError: bad input in the worker/);
    expect(text).toMatch(/^resourceLimits: ERR_WORKER_OUT_OF_MEMORY: .*; the worker exited with code 1$/m);
    expect(text).toMatch(/^postMessage threw DataCloneError: /m);
    // Copy vs transfer of 100 MiB: the transfer costs more than an empty message and less than a copy; the sender's buffer is detached.
    const ms = (label: string) => {
      const [, value, unit] = one(text, new RegExp(`${label}: +([\\d.]+) (ms|µs)`), label);
      return Number(value) * (unit === "µs" ? 1e-3 : 1);
    };
    const [empty, transfer, copy] = [ms("an empty message"), ms("100 MiB, transferred"), ms("100 MiB, copied")];
    expect(transfer).toBeGreaterThan(empty);
    expect(copy).toBeGreaterThan(transfer);
    expect(text).toContain("the notebook's buffer afterwards: 0 bytes");
  },
  "04-": (text) => {
    // The race, measured: the unsynchronised count is at most the expected total; the two fixes reach it exactly.
    const [, workers, each] = one(text, /(\d+) threads x ([\d,_]+) increments/, "the race's size");
    const expected = Number(workers) * Number(each!.replace(/[,_]/g, ""));
    const counts = (label: string) => Number(one(text, new RegExp(`${label}: counter = (\\d+)`), label)[1]);
    expect(counts("unsynchronised")).toBeLessThanOrEqual(expected);
    expect(counts("atomic load, then atomic store")).toBeLessThanOrEqual(expected);
    // The race must actually have shown itself: behind a start barrier, 5 x 10^6 racing increments on
    // two or more cores lose updates in at least one of the two unsynchronised runs.
    expect(Math.min(counts("unsynchronised"), counts("atomic load, then atomic store")), "the race lost no update").toBeLessThan(expected);
    expect(counts("Atomics.add")).toBe(expected);
    expect(counts("Lock")).toBe(expected);
    // The hand-built lock holds where the broken one (load, then store) fails, over the same number of acquisitions.
    const lockRun = (label: string) => {
      const [, threads, each, overlaps, lost] = one(text, new RegExp(`${label}: (\\d+) threads x ([\\d,]+) acquisitions: (\\d+) overlaps, (-?\\d+) updates lost`), label);
      return { threads: Number(threads), each: Number(each!.replace(/,/g, "")), overlaps: Number(overlaps), lost: Number(lost) };
    };
    const brokenLock = lockRun("broken lock \\(load, then store\\)");
    const builtLock = lockRun("hand-built lock \\(compareExchange\\)");
    expect(brokenLock.overlaps, "the broken lock let two threads in together").toBeGreaterThan(0);
    expect(builtLock).toEqual({ threads: brokenLock.threads, each: brokenLock.each, overlaps: 0, lost: 0 });
    // Atomics.wait parks the worker's event loop: no tick of its 10 ms timer during the 500 ms wait.
    expect(text).toMatch(/ticks during the 500 ms Atomics\.wait: 0; the longest gap between two ticks: (4[5-9]\d|[5-9]\d\d|\d{4,}) ms/);
    // Atomics.waitAsync on the main thread: woken by the worker's notify ("ok"), not by its 5 s timeout.
    const waited = Number(one(text, /Atomics\.waitAsync: "ok" after (\d+) ms/, "the async wait")[1]);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5000);
    // Semaphore(2) bounds, Lock is not re-entrant (the thread waits for itself), RLock is, Condition hands over every item.
    expect(text).toContain("Semaphore(2): 5 threads downloaded, at most 2 inside at once");
    expect(text).toMatch(/^Lock: LockTimeoutError: (thread \d+ \('adder'\)) waited 200 ms for lock 'counter', held by \1$/m);
    expect(text).toMatch(/^RLock: counter = 3$/m);
    expect(all(text, /^consumer-\d took 3 items/m).length).toBe(2);
    expect(text).toMatch(/^stock left: 0$/m);
    // The seed's SafeCounter: 5 threads x 1000 increments.
    const [, sThreads, sEach] = one(text, /SafeCounter: (\d+) threads x (\d+) increments/, "the SafeCounter's size");
    expect(text).toContain(`Final counter value: ${Number(sThreads) * Number(sEach)}`);
    // Producer-consumer: every item produced once and processed exactly once.
    const produced = all(text, /^Producing (\d+)$/m).map((m) => Number(m[1]));
    const processed = all(text, /^Consumer \d+ processing (\d+)$/m).map((m) => Number(m[1]));
    expect(produced.length).toBeGreaterThan(0);
    expect([...processed].sort((a, b) => a - b)).toEqual([...produced].sort((a, b) => a - b));
  },
  "05-": (text) => {
    // Queues between threads and between processes: each of the 10 items processed exactly once.
    for (const who of ["Thread", "Process"]) {
      const items = all(text, new RegExp(`^${who} \\d+ (?:\\(pid \\d+\\) )?processing (\\d+)$`, "m")).map((m) => Number(m[1]));
      expect([...items].sort((a, b) => a - b), `${who} queue`).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(text).toContain("10 results from 3 processes, exit codes 0, 0, 0");
    const initial = parseList(one(text, /^Initial array: (\[.*\])$/m, "the initial array")[1]!);
    expect(parseList(one(text, /^Shared array: (\[.*\])$/m, "the shared array")[1]!)).toEqual(initial.map((x) => x * x));
    const workers = Number(one(text, /^(\d+) threads each squared/m, "how many threads")[1]);
    expect(text).toMatch(new RegExp(`^Shared value: ${workers}$`, "m"));
    const data = parseList(one(text, /^Pipe data: (\[.*\])$/m, "the pipe's input")[1]!);
    const received = all(text, /^Received: (\d+)$/m).map((m) => Number(m[1]));
    expect(received.slice(0, data.length)).toEqual(data.map((x) => x * x));
    // Processes share no memory: a SharedArray is refused, and the copies sent back rebuild the squares.
    expect(text).toMatch(/HelperError: .*cannot be passed to a process/);
    expect(text).toContain(`the parent's array, rebuilt from their messages: [${Array.from({ length: 10 }, (_, i) => i * i).join(", ")}]`);
  },
  "07-": (text) => {
    // asyncio.gather: the four 1 s requests overlapped (the server saw all four at once), so far less than 4 s.
    expect(text).toContain("Completed 4 requests");
    expect(text).toContain("the server served at most 4 requests at once");
    const taken = Number(one(text, /^Time taken: ([\d.]+) seconds$/m, "the gather time")[1]);
    const sequential = Number(one(text, /One after another: 4 requests in ([\d.]+) seconds/, "the sequential time")[1]);
    expect(sequential).toBeGreaterThanOrEqual(4);
    expect(taken).toBeGreaterThanOrEqual(1);
    expect(taken).toBeLessThan(sequential / 2);
    // The limits held exactly, measured by the server.
    expect(text).toMatch(/12 requests, limit 3: [\d.]+ seconds, at most 3 at once on the server/);
    expect(text).toMatch(/mapLimit: 12 results in [\d.]+ seconds, at most 4 at once/);
    // The timeout fired long before the 5 s delay, and the server saw the request end.
    expect(Number(one(text, /TimeoutError after ([\d.]+) s/, "the timeout")[1])).toBeLessThan(5);
    expect(text).toContain("requests still open on the server: 0");
    expect(all(text, /^task \d: AbortError after ([\d.]+) s$/m).length).toBe(5);
    // The cooperative CPU tasks: the seed's sum of squares below 50,000, by formula, and the turns taken.
    const n = 50_000;
    const sum = ((n - 1) * n * (2 * n - 1)) / 6;
    expect(text).toContain(`Results: [${[sum, sum, sum, sum].join(", ")}]`);
    expect(one(text, /who ran each slice: (.*)$/m, "the turns")[1]!.startsWith("A B C D A B C D")).toBe(true);
    expect(text).toMatch(/no yield: +0 ticks/);
    expect(Number(one(text, /await setImmediate \(yield\): +(\d+) ticks/, "the yielding ticks")[1])).toBeGreaterThan(0);
  },
  "09-": (text) => {
    // Whatever ranges the notebook compares, each count must be the true number of primes below its bound.
    const found = all(text, /Found (\d+) primes/).map((m) => Number(m[1]));
    expect(found.length).toBeGreaterThan(0);
    const truth = new Set([10_000, 10_000_000].map(primeCount));
    for (const n of found) expect(truth).toContain(n);
    expect(found).toContain(primeCount(10_000));
    expect(text).toContain("Results match: true");
    expect(text).not.toContain("Results match: false");
    const speedups = all(text, /Speedup: ([\d.]+)x/).map((m) => Number(m[1]));
    expect(speedups.length).toBeGreaterThan(0);
    for (const s of speedups) expect(s).toBeGreaterThan(0);
  },
  "06-": (text) => {
    // The seed's CPU task at its own size: sum of i**2 for i < n, the same from the loop and both pools.
    const n = 100_000;
    const expected = ((n - 1) * n * (2 * n - 1)) / 6;
    expect(all(text, new RegExp(`^Results: \\[${[expected, expected, expected, expected].join(", ")}\\]$`, "m")).length).toBeGreaterThanOrEqual(3);
    // I/O: four one-second requests overlapped at the server; each limit is what the server saw at most.
    const seen = Number(one(text, /The server saw (\d+) requests at once/, "the I/O overlap")[1]);
    expect(seen).toBe(4);
    const limits = all(text, /^limit (\d+): .* at most (\d+) at once$/m);
    expect(limits.length).toBeGreaterThan(1);
    for (const [, limit, most] of limits) expect(Number(most)).toBe(Number(limit));
    expect(all(text, /Results match: true/g).length).toBe(2);
    expect(text).not.toContain("Results match: false");
    // The seed's pool timed in CPython, when this machine has a python3 (CI does): the same sums both ways.
    const cpython = /^CPython [\d.]+: sequential [\d.]+ s, ProcessPoolExecutor\(4\) [\d.]+ s \(median of 3\); the pool is [\d.]+x the speed; same results: (\w+)$/m.exec(text);
    if (cpython) expect(cpython[1]).toBe("True");
    else expect(text).toMatch(/^no CPython to compare with here/m);
  },
  "08-": (text) => {
    // The seed's usage: four URLs scraped, overlapping (the waits are 1+2+1+1 s; the longest is 2 s).
    const [, count, seconds] = one(text, /Scraped (\d+) URLs in ([\d.]+) seconds$/m, "the seed's scrape");
    expect(Number(count)).toBe(4);
    expect(Number(seconds)).toBeGreaterThanOrEqual(2);
    expect(Number(seconds)).toBeLessThan(1 + 2 + 1 + 1);
    // The crawl: every URL has a result; the four broken ones (404, 500, timeout, refused) failed, nothing else.
    const [, crawled, , ok, failed] = one(text, /Scraped (\d+) URLs in ([\d.]+) seconds: (\d+) ok, (\d+) failed/, "the crawl's summary");
    expect(Number(ok) + Number(failed)).toBe(Number(crawled));
    expect(Number(failed)).toBe(4);
    const [, most, limit] = one(text, /at most (\d+) requests at once \(limit: (\d+)\)/, "the crawl's concurrency");
    expect(Number(most)).toBeLessThanOrEqual(Number(limit));
    expect(Number(most)).toBeGreaterThan(1);
    expect(text).toContain("Same results as the queue scraper: true");
    for (const [, limit, atOnce] of all(text, /^limit +(\d+): [\d.]+ s, at most (\d+) at once$/m)) expect(Number(atOnce)).toBe(Number(limit));
  },
  "10-": (text) => {
    const racy = Number(one(text, /racy: balance = (\d+) \(expected (\d+)\)/, "the async race")[1]);
    expect(racy).toBeLessThan(100);
    expect(text).toContain("with a lock around read-await-write: balance = 100");
    expect(text).toMatch(/join\(\) rejected: RangeError: n must be at most 2, got 3/);
    expect(text).toMatch(/exit code 1; the error: RangeError: n must be at most 2, got 5/);
    expect(text).toContain("same results: true");
    expect(text).toMatch(/updateWithoutFinally[\s\S]*gave up[\s\S]*updateWithFinally[\s\S]*the next user got the lock/);
  },
  "11-": (text) => {
    // The GIL lesson on Node: CPU work on the loop stalls it for about its whole duration; in workers it does not.
    const run = (label: string) => {
      const m = one(text, new RegExp(`${label}: ([\\d.]+)s\\n  event-loop lag: max (\\d+) ms`), label);
      return { seconds: Number(m[1]), lagMs: Number(m[2]) };
    };
    const onLoop = run("Four async CPU tasks on the event loop");
    const inWorkers = run("Four tasks on four worker threads");
    expect(onLoop.lagMs).toBeGreaterThan((onLoop.seconds * 1000) / 2);
    expect(inWorkers.lagMs).toBeLessThan(onLoop.lagMs / 4);
    // The seed's async_cpu_task shape (await inside the hot loop) against plain-function slices: measured (the factor
    // varies with the V8 version and the load: 4-8x in plain Node 20 and 24 scripts, about 1x once in a Node 24 kernel).
    expect(Number(one(text, /the seed's shape took ([\d.]+)x as long/, "the async-loop cost")[1])).toBeGreaterThan(0);
    const [, waitSeconds] = one(text, /Four io_bound tasks: .* in ([\d.]+)s/, "the four waits");
    expect(Number(waitSeconds)).toBeLessThan(2); // four 1 s waits overlapped (4 s one after another)
  },
  "12-": (text) => {
    expect(text).toContain("every item consumed exactly once: true");
    const [, largest, maxsize] = one(text, /largest queue size seen: (\d+) \(maxsize (\d+)\)/, "the bounded queue");
    expect(Number(largest)).toBeLessThanOrEqual(Number(maxsize));
    const [, produced, consumed] = one(text, /produced (\d+) numbers, consumed (\d+)/, "the threads' queue");
    expect(consumed).toBe(produced);
    // The seed's WorkerPool usage: sample_task(i, i * 2) for i < 10.
    expect(text).toContain(`Results: ${JSON.stringify(Array.from({ length: 10 }, (_, i) => i + i * 2))}`);
    expect(text).toContain("Results match: true");
  },
  "13-": (text) => {
    const count = (name: string) => one(text, new RegExp(`${name}: (\\d+) threads x (\\d+) increments = (\\d+)`), name);
    const [, t, n, unsafe] = count("unsafeIncrements");
    expect(Number(unsafe)).toBeLessThanOrEqual(Number(t) * Number(n));
    expect(Number(count("atomicIncrements")[3])).toBe(Number(t) * Number(n));
    // The deadlock is caught by a lock timeout that names the lock and its holder; the fixed order completes.
    expect(text).toMatch(/thread-1: .*waited 1000 ms for lock 'B', held by .*thread-2/);
    // The wait-for graph, from the locks' recorded holders while both threads waited: a cycle through both.
    expect(text).toMatch(/^wait-for cycle: (thread \d+ \('thread-1'\)) waits for lock 'B', held by (thread \d+ \('thread-2'\)) waits for lock 'A', held by \1$/m);
    expect(all(text, /^thread-[12]: got both locks$/m).length).toBe(3);
    // The leak, counted on the pools themselves: the failed function without finally left its workers running.
    expect(Number(one(text, /after leaky\(\): (\d+) worker threads still running/, "the leaked workers")[1])).toBeGreaterThan(0);
    expect(text).toMatch(/after tidy\(\): +0 worker threads still running/);
    expect(text).toMatch(/naive: queue\.join\(\) still waiting after 1 s; 9 of 10 processed, 0 recorded error\(s\), 1 consumer\(s\) died/);
    expect(text).toMatch(/robust: queue\.join\(\) finished; 9 of 10 processed, 1 recorded error\(s\), 0 consumer\(s\) died/);
    // The closing table: the figures recorded across the lesson, this lesson's own race among them, with what it printed above.
    const [, figures] = one(text, /^(\d+) figures from \d+ lessons/m, "the closing table");
    expect(Number(figures)).toBeGreaterThan(0);
    expect(text).toContain(`  13  updates lost by 5 threads' counter[0]++: ${Number(t) * Number(n) - Number(unsafe)} of ${Number(t) * Number(n)}`);
  },
};
