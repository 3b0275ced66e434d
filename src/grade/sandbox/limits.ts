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

/** What a sandbox may do beyond the default, declared per exercise (`sandbox` in EXERCISE_LIST). */
export interface SandboxPermissions {
  /**
   * Start child processes: Node only, each under the sandbox's rules (children.cjs), counted in its
   * memory limit and killed with it (process-tree.ts). Every other exercise is refused. @default false
   */
  childProcesses?: boolean;
}
