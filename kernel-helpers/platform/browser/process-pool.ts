/** Browser backend of pools/process-pool.ts: a browser starts no processes, and says so. */
import { needsOs } from "./needs-os";

export class ProcessPool {
  constructor(_options?: unknown) {
    throw needsOs("ProcessPool");
  }
}
