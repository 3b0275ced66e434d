import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type * as nbformat from "@jupyterlab/nbformat";

/**
 * The Jupyter messaging protocol 5.3, typed: messages are a discriminated union on
 * `header.msg_type`, with the wire's snake_case field names kept as the protocol spells them.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html
 */

export const PROTOCOL_VERSION = "5.3";

/** The delimiter frame between ZeroMQ routing identities and the signed message. */
export const DELIMITER = Buffer.from("<IDS|MSG>");

/** A message header. */
export interface Header<T extends string = string> {
  msg_id: string;
  msg_type: T;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** A message of type `T` with content `C`. */
export interface Message<T extends string, C> {
  header: Header<T>;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers?: Buffer[];
}

export type ExecuteRequest = Message<
  "execute_request",
  {
    code: string;
    silent: boolean;
    store_history: boolean;
    user_expressions: Record<string, unknown>;
    allow_stdin: boolean;
    stop_on_error: boolean;
  }
>;
export type KernelInfoRequest = Message<"kernel_info_request", Record<string, never>>;
export type ShutdownRequest = Message<"shutdown_request", { restart: boolean }>;
export type InterruptRequest = Message<"interrupt_request", Record<string, never>>;
/** Requests this client sends on shell or control. */
export type RequestMessage = ExecuteRequest | KernelInfoRequest | ShutdownRequest | InterruptRequest;

/** `status` is `abort` when tslab refused the request (it arrived within ~200 ms of an error): it never ran. */
export interface ExecuteReplyContent {
  status: "ok" | "error" | "abort" | "aborted";
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export type ExecuteReply = Message<"execute_reply", ExecuteReplyContent>;
export type KernelInfoReply = Message<
  "kernel_info_reply",
  {
    protocol_version: string;
    implementation: string;
    language_info: Record<string, unknown> & { name: string };
    banner?: string;
    status?: string;
  }
>;
export type ShutdownReply = Message<"shutdown_reply", { restart: boolean }>;
export type InterruptReply = Message<"interrupt_reply", Record<string, unknown>>;
/** Replies on shell or control. */
export type ReplyMessage = ExecuteReply | KernelInfoReply | ShutdownReply | InterruptReply;

export type StatusMessage = Message<
  "status",
  { execution_state: "busy" | "idle" | "starting" | "dead" | "restarting" | "autorestarting" }
>;
export type StreamMessage = Message<"stream", { name: "stdout" | "stderr"; text: string }>;
export type DisplayContent = {
  data: nbformat.IMimeBundle;
  metadata: nbformat.OutputMetadata;
  transient?: { display_id?: string };
};
export type DisplayDataMessage = Message<"display_data", DisplayContent>;
export type UpdateDisplayDataMessage = Message<"update_display_data", DisplayContent>;
export type ExecuteResultMessage = Message<"execute_result", DisplayContent & { execution_count: number }>;
export type ErrorMessage = Message<"error", { ename: string; evalue: string; traceback: string[] }>;
export type ClearOutputMessage = Message<"clear_output", { wait: boolean }>;
export type ExecuteInputMessage = Message<"execute_input", { code: string; execution_count: number }>;
/** Messages broadcast on iopub. */
export type IOPubMessage =
  | StatusMessage
  | StreamMessage
  | DisplayDataMessage
  | UpdateDisplayDataMessage
  | ExecuteResultMessage
  | ErrorMessage
  | ClearOutputMessage
  | ExecuteInputMessage;

/** Any message this client knows. */
export type AnyMessage = RequestMessage | ReplyMessage | IOPubMessage;

/** A protocol violation: a bad signature, a missing delimiter, unparsable frames. */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}

/** Build a request with a fresh header. */
export function makeMessage<M extends RequestMessage>(
  msg_type: M["header"]["msg_type"],
  content: M["content"],
  session: string,
): M {
  return {
    header: {
      msg_id: randomUUID(),
      msg_type,
      session,
      username: "tsnb",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
  } as M;
}

/** An `execute_request` as nbclient sends it (stop_on_error false: we decide what an error stops). */
export function executeRequest(code: string, session: string): ExecuteRequest {
  return makeMessage<ExecuteRequest>(
    "execute_request",
    { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
    session,
  );
}

/** HMAC-SHA256 over the four JSON frames, hex; the empty string when the key is empty (signing disabled). */
export function sign(key: string, frames: readonly (string | Buffer)[]): string {
  if (!key) return "";
  const hmac = createHmac("sha256", key);
  for (const frame of frames) hmac.update(frame);
  return hmac.digest("hex");
}

/** Serialize to wire frames: `[...identities, <IDS|MSG>, signature, header, parent_header, metadata, content, ...buffers]`. */
export function serialize(message: AnyMessage, key: string, identities: readonly Buffer[] = []): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((p) =>
    Buffer.from(JSON.stringify(p)),
  );
  return [...identities, DELIMITER, Buffer.from(sign(key, parts)), ...parts, ...(message.buffers ?? [])];
}

/**
 * Parse and verify wire frames. Throws ProtocolError on a missing delimiter, a bad signature
 * (compared in constant time) or unparsable JSON.
 */
export function deserialize(frames: readonly Buffer[], key: string): { identities: Buffer[]; message: AnyMessage } {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) throw new ProtocolError("message has no <IDS|MSG> delimiter");
  if (frames.length < at + 6)
    throw new ProtocolError(`message has ${frames.length - at - 1} frames after the delimiter, expected at least 5`);
  const signature = frames[at + 1]!.toString();
  const parts = frames.slice(at + 2, at + 6);
  if (key) {
    const expected = Buffer.from(sign(key, parts));
    const got = Buffer.from(signature);
    if (got.length !== expected.length || !timingSafeEqual(got, expected))
      throw new ProtocolError("message signature does not match (wrong key or tampered message)");
  }
  let decoded: unknown[];
  try {
    decoded = parts.map((p) => JSON.parse(p.toString("utf8")) as unknown);
  } catch (error) {
    throw new ProtocolError(`message frame is not JSON: ${(error as Error).message}`);
  }
  const [header, parent_header, metadata, content] = decoded as [
    Header,
    AnyMessage["parent_header"],
    Record<string, unknown>,
    unknown,
  ];
  if (!header || typeof header.msg_type !== "string" || typeof header.msg_id !== "string")
    throw new ProtocolError("message header lacks msg_type or msg_id");
  const message = {
    header,
    parent_header: parent_header ?? {},
    metadata: metadata ?? {},
    content: content ?? {},
    buffers: frames.slice(at + 6),
  } as AnyMessage;
  return { identities: frames.slice(0, at), message };
}

/** The msg_id of the request a message answers, if any. */
export function parentId(message: AnyMessage): string | undefined {
  return (message.parent_header as Partial<Header>).msg_id;
}

/** Narrow to iopub message types. */
export function isIOPub(message: AnyMessage): message is IOPubMessage {
  return [
    "status",
    "stream",
    "display_data",
    "update_display_data",
    "execute_result",
    "error",
    "clear_output",
    "execute_input",
  ].includes(message.header.msg_type);
}
