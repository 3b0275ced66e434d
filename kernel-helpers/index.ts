/**
 * The kernel helpers: the concurrency toolkit lesson notebooks, exercises and graders import.
 * Notebooks import this file only: `import { Thread, Lock } from "../kernel-helpers/index"`.
 * Every name is re-exported explicitly (no `export *`), so this file is the whole public surface.
 */
export { HelperError, TimeoutError, LockTimeoutError, AbortError, RemoteError } from "./errors";
export { startTestServer } from "./http/test-server";
export type { TestServer, TestServerOptions, TestServerStats, RequestLogEntry } from "./http/test-server";
