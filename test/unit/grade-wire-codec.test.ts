import { afterEach, describe, expect, it } from "vitest";
import { decodeWire, encodeWire } from "../../src/grade/sandbox/wire-codec.cjs";

const roundTrip = (v: unknown) => decodeWire(encodeWire(v));

describe("the sandbox channel's codec", () => {
  afterEach(() => {
    delete (Object.prototype as { toJSON?: unknown }).toJSON;
  });

  it("carries what the probes return, JSON's types and more, as it was", () => {
    const value = {
      n: 1.5,
      s: 'x\u0000"y',
      b: false,
      z: null,
      u: undefined,
      list: [1, undefined, null, "a", [2, [3]]],
      odd: [NaN, Infinity, -Infinity, -0],
      big: 12345678901234567890n,
      when: new Date(1_700_000_000_000),
      map: new Map<unknown, unknown>([
        ["k", 1],
        [2, { deep: [undefined] }],
      ]),
      set: new Set([1, "two"]),
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(Object.is(back.odd[3], -0)).toBe(true);
    expect(back.list).toHaveLength(5);
    expect(1 in back.list).toBe(true); // undefined kept as an element
    expect("u" in back).toBe(true);
  });

  it("reads own data properties only: no getters run, no toJSON consulted, __proto__ stays a key", () => {
    let ran = 0;
    const tricky = Object.defineProperty({ a: 1 }, "b", { enumerable: true, get: () => ++ran });
    (Object.prototype as { toJSON?: unknown }).toJSON = () => ({ forged: true });
    const back = roundTrip(tricky) as Record<string, unknown>;
    expect(ran).toBe(0);
    expect(back).toEqual({ a: 1, b: undefined });
    delete (Object.prototype as { toJSON?: unknown }).toJSON;
    const proto = JSON.parse('{"__proto__": {"polluted": 1}}') as object;
    const decoded = roundTrip(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses a cycle with a clear error, and text that is not its own", () => {
    const loop: Record<string, unknown> = {};
    loop["self"] = loop;
    expect(() => encodeWire(loop)).toThrow(/nested deeper than 64 levels/);
    expect(() => decodeWire('{"type":"result"}')).toThrow(/not a sandbox wire value/);
    expect(() => decodeWire('["q",1]')).toThrow(/unknown sandbox wire tag q/);
  });
});
