/** Limits of one sandbox process. */
export interface SandboxLimits {
  /** V8 heap limit of the sandbox process, in MB (`--max-old-space-size`). @default 256 */
  heapMb: number;
  /** Resident memory limit (heap + buffers + workers), in MB: the process is killed above it. @default 1024 */
  rssMb: number;
  /** Captured stdout + stderr kept for the report, in bytes; the rest is read and dropped. @default 8192 */
  outputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { heapMb: 256, rssMb: 1024, outputBytes: 8192 };
