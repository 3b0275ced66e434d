// The Python lesson's 02/process.py on Node: five child processes, each sleeping 2 s.
// Run: cd examples/02 && npx tsx process.ts       (Node 22.6+: node --experimental-strip-types process.ts)
//
// This one file is both the parent and the children: the parent forks five copies of it with an argument
// (the worker's number); a copy started with a number runs worker() and nothing else. That argument check is
// the Node form of Python's `if __name__ == '__main__':` guard. fork() starts a new `node` with the same
// flags as this one (tsx's loader or --experimental-strip-types), so the children can run TypeScript too.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const thisFile = fileURLToPath(import.meta.url);

/** Process worker function. */
function worker(number: number): void {
  console.log(`Process ${number} is running`);
  // Python prints __main__ (or __mp_main__): the child runs this file as its main module, as Python's does.
  console.log("module name:", `${path.basename(thisFile)} (main module: ${process.argv[1] !== undefined && path.resolve(process.argv[1]) === thisFile})`);
  console.log("parent process:", process.ppid);
  console.log("process id:", process.pid);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000); // time.sleep(2): blocks this process only
  console.log(`Process ${number} has finished`);
}

/** p.join(): settles when the child exits, with its exit code. Attached at the start: "exit" may come early. */
function join(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    p.once("error", reject); // the process could not be started
    p.once("exit", (code) => resolve(code));
  });
}

const workerNumber = process.argv[2];
if (workerNumber !== undefined) {
  worker(Number(workerNumber));
} else {
  const processes: Promise<number | null>[] = [];
  for (let i = 0; i < 5; i++) {
    const p = fork(thisFile, [String(i)]); // Process(target=worker, args=(i,)).start()
    processes.push(join(p));
  }
  for (const p of processes) await p;
}
