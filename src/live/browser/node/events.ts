/**
 * `node:events` for the browser runtime: the EventEmitter subset the lessons and the helpers use
 * (`on`/`once`/`off`/`emit`, listener counts, `setMaxListeners`), `once(emitter, name)` and `setMaxListeners()`.
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  #listeners = new Map<string | symbol, Listener[]>();

  on(name: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(name) ?? [];
    list.push(listener);
    this.#listeners.set(name, list);
    this.listenersChanged(name);
    return this;
  }

  addListener(name: string | symbol, listener: Listener): this {
    return this.on(name, listener);
  }

  prependListener(name: string | symbol, listener: Listener): this {
    this.#listeners.set(name, [listener, ...(this.#listeners.get(name) ?? [])]);
    this.listenersChanged(name);
    return this;
  }

  once(name: string | symbol, listener: Listener): this {
    const wrapper: Listener & { listener?: Listener } = (...args) => {
      this.off(name, wrapper);
      listener.apply(this, args);
    };
    wrapper.listener = listener;
    return this.on(name, wrapper);
  }

  off(name: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(name);
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(name);
    this.listenersChanged(name);
    return this;
  }

  removeListener(name: string | symbol, listener: Listener): this {
    return this.off(name, listener);
  }

  removeAllListeners(name?: string | symbol): this {
    if (name === undefined) this.#listeners.clear();
    else this.#listeners.delete(name);
    this.listenersChanged(name);
    return this;
  }

  emit(name: string | symbol, ...args: unknown[]): boolean {
    const list = this.#listeners.get(name);
    if (!list || list.length === 0) {
      if (name === "error") throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error: ${String(args[0])}`);
      return false;
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(name: string | symbol): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  listeners(name: string | symbol): Listener[] {
    return [...(this.#listeners.get(name) ?? [])];
  }

  eventNames(): (string | symbol)[] {
    return [...this.#listeners.keys()];
  }

  setMaxListeners(_n: number): this {
    return this;
  }

  getMaxListeners(): number {
    return Infinity;
  }

  /** A hook for subclasses that keep a worker alive while someone listens (see worker-threads.ts). */
  protected listenersChanged(_name: string | symbol | undefined): void {}
}

/** Resolves with the arguments of the next `name` event (rejects on `error`). */
export function once(emitter: EventEmitter | EventTarget, name: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    if (emitter instanceof EventEmitter) {
      const onError = (error: unknown) => {
        emitter.off(name, onEvent);
        reject(error);
      };
      const onEvent = (...args: unknown[]) => {
        if (name !== "error") emitter.off("error", onError);
        resolve(args);
      };
      emitter.once(name, onEvent);
      if (name !== "error") emitter.once("error", onError);
    } else {
      emitter.addEventListener(name, (event) => resolve([event]), { once: true });
    }
  });
}

export function setMaxListeners(): void {}

export default EventEmitter;
export const defaultMaxListeners = 10;
