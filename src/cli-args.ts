import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

/**
 * `parseArgs` for a tsnb command: an unknown option, a missing value or a stray argument becomes a
 * `UsageError` (exit status 2, no stack trace), e.g. ``Unknown option '--bogus' (see --help)``.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
}
