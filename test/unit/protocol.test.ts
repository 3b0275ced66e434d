import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DELIMITER,
  ProtocolError,
  deserialize,
  executeRequest,
  isIOPub,
  parentId,
  serialize,
  sign,
} from "../../src/kernel/protocol.ts";

const key = "5ca1ab1e-key";

describe("Jupyter wire protocol", () => {
  it("signs the four JSON frames with HMAC-SHA256, as jupyter_client does", () => {
    const frames = ['{"msg_id":"1"}', "{}", "{}", '{"code":"1"}'];
    const expected = createHmac("sha256", key).update(frames.join("")).digest("hex");
    expect(sign(key, frames)).toBe(expected);
    expect(sign("", frames)).toBe("");
  });

  it("round-trips a message through its wire frames, routing identities kept", () => {
    const request = executeRequest('console.log("hi")', "session-1");
    const identity = Buffer.from("client-7");
    const frames = serialize(request, key, [identity]);
    expect(frames[0]).toEqual(identity);
    expect(frames[1]).toEqual(DELIMITER);
    const { identities, message } = deserialize(frames, key);
    expect(identities).toEqual([identity]);
    expect(message.header).toEqual(request.header);
    expect(message.content).toEqual({
      code: 'console.log("hi")',
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });
    expect(message.header.msg_type).toBe("execute_request");
    expect(message.header.version).toBe("5.3");
  });

  it("rejects a tampered content frame and a wrong key", () => {
    const frames = serialize(executeRequest("1 + 1", "s"), key);
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ code: "process.exit(1)" }));
    expect(() => deserialize(tampered, key)).toThrow(ProtocolError);
    expect(() => deserialize(tampered, key)).toThrow(
      "message signature does not match (wrong key or tampered message)",
    );
    expect(() => deserialize(frames, "another-key")).toThrow("signature does not match");
  });

  it("rejects a tampered signature of the right length", () => {
    const frames = serialize(executeRequest("1", "s"), key);
    const sig = frames[1]!.toString();
    frames[1] = Buffer.from((sig[0] === "a" ? "b" : "a") + sig.slice(1));
    expect(() => deserialize(frames, key)).toThrow(ProtocolError);
  });

  it("rejects frames without a delimiter, with too few parts, or with non-JSON parts", () => {
    expect(() => deserialize([Buffer.from("x")], key)).toThrow("message has no <IDS|MSG> delimiter");
    expect(() => deserialize([DELIMITER, Buffer.from("sig"), Buffer.from("{}")], "")).toThrow(
      "message has 2 frames after the delimiter, expected at least 5",
    );
    const parts = ["{not json", "{}", "{}", "{}"].map((p) => Buffer.from(p));
    expect(() => deserialize([DELIMITER, Buffer.from(sign(key, parts)), ...parts], key)).toThrow(
      /message frame is not JSON/,
    );
  });

  it("accepts unsigned messages when the key is empty, and tells iopub messages and parents apart", () => {
    const parent = executeRequest("1", "s");
    const status = {
      header: { ...parent.header, msg_id: "m2", msg_type: "status" },
      parent_header: parent.header,
      metadata: {},
      content: { execution_state: "idle" },
    };
    const { message } = deserialize(serialize(status as never, ""), "");
    expect(isIOPub(message)).toBe(true);
    expect(isIOPub(parent)).toBe(false);
    expect(parentId(message)).toBe(parent.header.msg_id);
    expect(parentId(parent)).toBeUndefined();
  });
});
