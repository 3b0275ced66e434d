/**
 * The kernel helpers: the concurrency toolkit lesson notebooks, exercises and graders import.
 * Notebooks import this file only: `import { Thread, Lock } from "../kernel-helpers/index"`.
 * Every name is re-exported explicitly (no `export *`), so this file is the whole public surface.
 */
export { HelperError, TimeoutError, LockTimeoutError, AbortError, RemoteError } from "./errors";
export { startTestServer } from "./http/test-server";
export type { TestServer, TestServerOptions, TestServerStats, RequestLogEntry } from "./http/test-server";

// sync and queues (shared-memory primitives across workers; API in kernel-helpers/sync/README.md)
export { BrokenBarrierError, ClosedError, QueueFullError, QueueEmptyError } from "./errors";
export { Lock } from "./sync/mutex";
export type { AcquireOptions } from "./sync/mutex";
export { RLock } from "./sync/rlock";
export { Semaphore } from "./sync/semaphore";
export type { SemaphoreOptions, SemaphoreAcquireOptions } from "./sync/semaphore";
export { Event } from "./sync/event";
export type { EventWaitOptions } from "./sync/event";
export { Condition } from "./sync/condition";
export type { ConditionWaitOptions } from "./sync/condition";
export { Barrier } from "./sync/barrier";
export type { BarrierWaitOptions } from "./sync/barrier";
export { AtomicCounter } from "./sync/counter";
export { SharedValue, SharedArray } from "./sync/shared-value";
export type { SharedType, SharedTypedArray } from "./sync/shared-value";
export { setCurrentThreadName } from "./sync/identity";
export { Queue } from "./queues/queue";
export type { QueueWaitOptions } from "./queues/queue";
export { SharedQueue } from "./queues/shared-queue";
export type { SharedQueueOptions, QueueOpOptions, QueueCodec } from "./queues/shared-queue";
export { Pipe, Connection } from "./queues/pipe";
export type { RecvOptions } from "./queues/pipe";
