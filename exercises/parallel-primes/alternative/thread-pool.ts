// A correct solution unlike the reference: the course helpers' ThreadPool, strided chunks, and a
// sort at the end.
import { ThreadPool } from "../../../kernel-helpers/index";

async function findPrimes(start: number, end: number, workers: number): Promise<number[]> {
  const from = Math.max(start, 2);
  if (end <= from) return [];
  const pool = new ThreadPool({ size: workers });
  try {
    const tasks = Array.from({ length: workers }, (_, k) => ({ from: from + k, to: end, step: workers }));
    const parts: number[][] = await pool.map((task: { from: number; to: number; step: number }) => {
      const found: number[] = [];
      for (let n = task.from; n < task.to; n += task.step) {
        let prime = n === 2 || n % 2 === 1;
        for (let d = 3; prime && d * d <= n; d += 2) if (n % d === 0) prime = false;
        if (prime) found.push(n);
      }
      return found;
    }, tasks);
    return parts.flat().sort((a, b) => a - b);
  } finally {
    await pool.close();
  }
}

export {};
