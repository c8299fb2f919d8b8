import { AsyncLocalStorage, AsyncResource, createHook } from 'node:async_hooks';
import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { lastValueFrom, Observable } from 'rxjs';
import { leanBind, useLeanAsyncResourceBind } from './async-resource-bind';

describe('leanBind', () => {
  const storage = new AsyncLocalStorage<string>();

  it('runs the function in the context captured when it was bound, wherever it is called from', async () => {
    const bound = storage.run('at bind', () => leanBind(() => storage.getStore()));
    expect(storage.run('at call', () => bound())).toBe('at bind');
    expect(bound()).toBe('at bind');
    // Across an await too: a context is a resource's, not the caller's stack.
    await expect(storage.run('at call', async () => { await Promise.resolve(); return bound(); })).resolves.toBe('at bind');
  });

  it('passes arguments and the result through, and `this` unless thisArg is given', () => {
    const receiver = { name: 'receiver' };
    const other = { name: 'other' };
    function describeCall(this: { name: string }, a: number, b: number): string {
      return `${this.name}:${a + b}`;
    }
    expect(leanBind(describeCall as never).call(receiver, 1, 2)).toBe('receiver:3');
    expect(leanBind(describeCall as never, undefined, other).call(receiver, 2, 3)).toBe('other:5');
  });

  it("keeps the function's length and leaves out the deprecated asyncResource accessor", () => {
    const bound = leanBind(((_a: unknown, _b: unknown, _c: unknown, _d: unknown) => undefined) as never);
    // Express tells an error handler by its four parameters: a bound one must still have them.
    expect(bound.length).toBe(4);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
  });

  it('creates one async resource per bind, of the given type or named for the function', () => {
    const types: string[] = [];
    const hook = createHook({ init: (_id, type) => { if (type.startsWith('lean')) types.push(type); } }).enable();
    try {
      leanBind((() => undefined) as never, 'lean-typed');
      leanBind(function leanNamed() { return undefined; } as never);
    } finally {
      hook.disable();
    }
    expect(types).toEqual(['lean-typed', 'leanNamed']);
  });

  it('refuses what is not a function, as Node does', () => {
    expect(() => leanBind('not a function' as never)).toThrow(TypeError);
  });
});

describe('useLeanAsyncResourceBind', () => {
  const original = AsyncResource.bind;
  afterAll(() => {
    AsyncResource.bind = original;
  });

  it("replaces this Node's AsyncResource.bind when it attaches the deprecated accessor, once", () => {
    const nodes = Object.getOwnPropertyDescriptor(original(() => undefined), 'asyncResource') !== undefined;
    useLeanAsyncResourceBind();
    useLeanAsyncResourceBind();
    expect(AsyncResource.bind === (leanBind as unknown)).toBe(nodes);
    expect(Object.getOwnPropertyDescriptor(AsyncResource.bind(() => undefined), 'asyncResource')).toBeUndefined();
  });

  it("still carries an interceptor's AsyncLocalStorage into the handler through Nest's interceptor chain", async () => {
    useLeanAsyncResourceBind();
    const storage = new AsyncLocalStorage<string>();
    const interceptor: NestInterceptor = { intercept: (_context: ExecutionContext, next: CallHandler) => storage.run('claimed', () => next.handle()) };
    const handler = async () => storage.getStore();
    const result = await new InterceptorsConsumer().intercept([interceptor], [{}, {}], { constructor: Object } as never, handler, handler, 'http');
    await expect(lastValueFrom(result as Observable<unknown>)).resolves.toBe('claimed');
  });
});
