// @ts-check
// The sandbox channel's values as JSON text, written and read by this file alone: the client (trusted) and
// the host (beside the submission) exchange strings only. Why not the channel's own serialisation: in the
// sandbox process the submission can replace what that serialisation calls (`Object.prototype.toJSON` for
// JSON, `v8.Serializer.prototype` and `Buffer` for "advanced"), and so rewrite a result on its way out.
// This encoder reads own data properties only (accessors are left out), through functions taken when this
// file loads, which the host does before any submission code runs.
//
// Each value becomes [tag, payload]: JSON's own types, plus what the probes return that JSON cannot hold
// (undefined, NaN and the infinities, -0, bigint, Date, Map, Set), so a value arrives as it was sent.
"use strict";

const isArray = Array.isArray;
const ownKeys = Object.keys;
const ownDescriptor = Object.getOwnPropertyDescriptor;
const finite = Number.isFinite;
const is = Object.is;
const jsonString = JSON.stringify; // given strings and numbers only: no toJSON lookup on primitives
const jsonParse = JSON.parse;
const MapCtor = Map;
const SetCtor = Set;
const DateCtor = Date;
const BigIntFn = BigInt;
const StringFn = String;
const reflectApply = Reflect.apply;
const getTime = Date.prototype.getTime;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const mapSet = Map.prototype.set;
const setAdd = Set.prototype.add;
const iteratorNext = Object.getPrototypeOf(new Map().entries()).next;
const setIteratorNext = Object.getPrototypeOf(new Set().values()).next;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, "size")?.get;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, "size")?.get;
/** @param {unknown} v @param {Function | undefined} getter */
const brand = (v, getter) => {
  try {
    reflectApply(/** @type {Function} */ (getter), v, []);
    return true;
  } catch {
    return false;
  }
};

/**
 * The items of a Map's or Set's own iterator, each encoded, comma-separated (`next` captured, not looked up).
 * @param {object} iterator
 * @param {Function} next
 * @param {(item: any) => string} each
 */
function joinItems(iterator, next, each) {
  let out = "";
  for (let step = reflectApply(next, iterator, []); !step.done; step = reflectApply(next, iterator, []))
    out += (out ? "," : "") + each(step.value);
  return out;
}

const MAX_DEPTH = 64;

/**
 * @param {unknown} value
 * @param {number} depth
 * @returns {string}
 */
function enc(value, depth) {
  if (depth > MAX_DEPTH) throw new TypeError(`a value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  switch (typeof value) {
    case "undefined":
      return '["u"]';
    case "boolean":
      return value ? '["b",true]' : '["b",false]';
    case "string":
      return `["s",${jsonString(value)}]`;
    case "number":
      if (finite(value) && !is(value, -0)) return `["n",${jsonString(value)}]`;
      return `["N",${jsonString(StringFn(is(value, -0) ? "-0" : value))}]`;
    case "bigint":
      return `["i",${jsonString(StringFn(value))}]`;
    case "function":
    case "symbol":
      return '["u"]'; // as structured data cannot hold them: left out
  }
  if (value === null) return '["z"]';
  const object = /** @type {object} */ (value);
  if (brand(object, getTime)) return `["d",${jsonString(reflectApply(getTime, object, []))}]`;
  if (brand(object, mapSize))
    return `["m",[${joinItems(reflectApply(mapEntries, object, []), iteratorNext, (e) => `[${enc(e[0], depth + 1)},${enc(e[1], depth + 1)}]`)}]]`;
  if (brand(object, setSize))
    return `["S",[${joinItems(reflectApply(setValues, object, []), setIteratorNext, (v) => enc(v, depth + 1))}]]`;
  /** @param {string} key */
  const field = (key) => {
    const d = ownDescriptor(object, key);
    return d && "value" in d ? enc(d.value, depth + 1) : '["u"]';
  };
  if (isArray(object)) {
    const length = /** @type {number} */ (ownDescriptor(object, "length")?.value ?? 0);
    let out = '["a",[';
    for (let i = 0; i < length; i++) out += (i ? "," : "") + field(StringFn(i));
    return `${out}]]`;
  }
  const keys = ownKeys(object);
  let out = '["o",[';
  for (let i = 0; i < keys.length; i++) {
    const key = /** @type {string} */ (keys[i]);
    out += `${i ? "," : ""}[${jsonString(key)},${field(key)}]`;
  }
  return `${out}]]`;
}

/**
 * @param {unknown} node
 * @returns {unknown}
 */
function dec(node) {
  if (!isArray(node)) throw new TypeError("not a sandbox wire value");
  const [tag, payload] = /** @type {[string, any]} */ (node);
  switch (tag) {
    case "u":
      return undefined;
    case "z":
      return null;
    case "b":
    case "s":
    case "n":
      return payload;
    case "N":
      return payload === "-0" ? -0 : Number(payload);
    case "i":
      return BigIntFn(payload);
    case "d":
      return new DateCtor(payload);
    case "a":
      return /** @type {unknown[]} */ (payload).map(dec);
    case "o": {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const [k, v] of /** @type {Array<[string, unknown]>} */ (payload))
        Object.defineProperty(out, k, { value: dec(v), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case "m": {
      const out = new MapCtor();
      for (const [k, v] of /** @type {Array<[unknown, unknown]>} */ (payload))
        reflectApply(mapSet, out, [dec(k), dec(v)]);
      return out;
    }
    case "S": {
      const out = new SetCtor();
      for (const v of /** @type {unknown[]} */ (payload)) reflectApply(setAdd, out, [dec(v)]);
      return out;
    }
  }
  throw new TypeError(`unknown sandbox wire tag ${StringFn(tag)}`);
}

/**
 * A value as the channel's JSON text.
 * @param {unknown} value
 * @returns {string}
 */
function encodeWire(value) {
  return enc(value, 0);
}

/**
 * A value back from {@link encodeWire}'s text.
 * @param {string} text
 * @returns {unknown}
 */
function decodeWire(text) {
  return dec(jsonParse(text));
}

module.exports = { encodeWire, decodeWire };
