// The messages between a grading suite's Sandbox (client.ts, trusted) and the sandbox process
// (host.cjs, beside the submission), over the child's IPC channel as wire-codec.cjs text both ways (so
// nothing in the submission's reach can rewrite a message on its way out; host.cjs says how). One module for both sides:
// host.cjs imports these types in JSDoc. Nothing the host sends is trusted to score: the suite
// checks the values, and an `uncaught` report only words an exit.

/** An error as it crosses the channel (an Error's own fields; never the object itself). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

/** Client -> host: run probe `probe` on the submission with `args`; answered by a `result` with the same id. */
export interface CallMessage {
  type: "call";
  id: number;
  probe: string;
  args: unknown;
}

/** Host -> client. */
export type HostMessage =
  | { type: "ready"; loadError?: WireError }
  | { type: "result"; id: number; ok: true; value: unknown }
  | { type: "result"; id: number; ok: false; error: WireError & { atLoad?: boolean } }
  | { type: "uncaught"; error: WireError };
