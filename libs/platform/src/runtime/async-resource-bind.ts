import { AsyncResource } from 'node:async_hooks';

type Bind = typeof AsyncResource.bind;

/**
 * `AsyncResource.bind` as Node 24 has it, for Node 20. Node 20's gives every bound function the deprecated
 * `asyncResource` accessor (DEP0172): two `deprecate()` wrappers and an `Object.defineProperties` each call,
 * ~8 µs and a fresh hidden class that lands in the old generation. Nest's interceptor chain binds twice per
 * request (InterceptorsConsumer, so that AsyncLocalStorage reaches the handler), which made our one global
 * interceptor (idempotency) ~30 % of the cheapest request's CPU and filled the old generation with garbage:
 * a major GC every few hundred milliseconds under load (issue 16). This keeps everything a caller relies on:
 * a new AsyncResource per call (async hooks see the same resources), the function runs in the context
 * captured at bind time, `this` is the caller's unless `thisArg` is given, `length` is the function's.
 */
export function leanBind(fn: (...args: never[]) => unknown, type?: string, thisArg?: unknown): (...args: unknown[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
  const resource = new AsyncResource(type || fn.name || 'bound-anonymous-fn');
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    return resource.runInAsyncScope(fn as (...args: unknown[]) => unknown, thisArg === undefined ? this : thisArg, ...args);
  };
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
  return bound;
}

/** True when this Node's own `AsyncResource.bind` still attaches the deprecated accessor (Node < 24). */
function bindsDeprecatedAccessor(bind: Bind): boolean {
  return Object.getOwnPropertyDescriptor(bind.call(AsyncResource, () => undefined), 'asyncResource') !== undefined;
}

/** Puts `leanBind` in place of `AsyncResource.bind` where Node's own is the slow one; idempotent (leanBind attaches none). */
export function useLeanAsyncResourceBind(): void {
  if (bindsDeprecatedAccessor(AsyncResource.bind)) AsyncResource.bind = leanBind as unknown as Bind;
}
