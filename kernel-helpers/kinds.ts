/**
 * Loads every kind of shared handle (each module registers its own with `registerHandleKind`), so `fromWire` in
 * this thread can rebuild any of them. The entry of the worker-side bundle imports it (threads/wire-worker.ts).
 */
import "./sync/mutex";
import "./sync/rlock";
import "./sync/semaphore";
import "./sync/event";
import "./sync/condition";
import "./sync/barrier";
import "./sync/counter";
import "./sync/shared-value";
import "./queues/shared-queue";
import "./queues/pipe";
import "./viz/timeline";
