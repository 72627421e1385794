// A stand-in for bound tracepoints that records every call: for unit tests of code that fires tracepoints.

/** Any tracepoint interface, plus the calls made to it as [name, ...args]. */
export type TraceSpy<T> = T & { readonly calls: unknown[][] };

/** Creates a spy whose every method records its name and arguments. */
export function traceSpy<T extends object>(): TraceSpy<T> {
  const calls: unknown[][] = [];
  return new Proxy({ calls } as TraceSpy<T>, {
    get(target, prop) {
      if (prop === 'calls') return calls;
      return (...args: unknown[]) => {
        calls.push([String(prop), ...args]);
      };
    },
  }) as TraceSpy<T>;
}
