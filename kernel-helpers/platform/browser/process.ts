/** Browser backend of process/process.ts: a browser starts no processes, and says so. */
import { needsOs } from "./needs-os";

export type ProcessOptions = Record<string, unknown>;

export class Process {
  constructor(_options?: ProcessOptions) {
    throw needsOs("Process");
  }
}

export function runInProcess(): Promise<never> {
  return Promise.reject(needsOs("runInProcess"));
}
