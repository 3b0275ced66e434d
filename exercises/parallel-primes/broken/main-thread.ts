// expect-fail: [2] the work runs on exactly `workers` threads at once (3 asked: 3 run, never more)
// expect-fail: [2] the main thread stays free while the workers compute (its event loop is mostly idle)
// Right answers, but computed on the main thread: no worker, and every timer and request stalls meanwhile.
async function findPrimes(start: number, end: number, _workers: number): Promise<number[]> {
  const found: number[] = [];
  for (let n = Math.max(start, 2); n < end; n++) {
    let prime = n === 2 || n % 2 === 1;
    for (let d = 3; prime && d * d <= n; d += 2) if (n % d === 0) prime = false;
    if (prime) found.push(n);
  }
  return found;
}

export {};
