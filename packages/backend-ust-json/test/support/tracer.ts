// A real tracer over a small catalog, for tests that need the producer side (drops, failing sinks, exit paths).
import { catalogFromText, createRegistry, createTracer, type Clock, type Tracer } from '@unitrace/core';

/** The catalog: host events of the usual shapes and one guest. */
export const CATALOG = `t_select(void *s, uint16_t key, const char *name, int ret) "s %p key 0x%x %s ret %d"
t_ints(int8_t a, uint32_t b, int64_t c, uint64_t d) "%d %u %" PRId64 " %" PRIu64
include "guest-events" as t_guest
`;
const GUEST = `t_guest_step(uint32_t step, const char *what) "step %u %s"
`;

/** A tracer with every event enabled; sink failures are collected in `sinkFailures` instead of printed. */
export function makeTracer(clock: Clock, pid = 4242): { tracer: Tracer; sinkFailures: unknown[] } {
  const catalog = catalogFromText(CATALOG, 'test/trace-events', {
    readFile: (path: string) => {
      if (path.endsWith('guest-events')) return GUEST;
      throw new Error(`no such file ${path}`);
    },
  });
  const registry = createRegistry(catalog);
  registry.enable('*');
  const sinkFailures: unknown[] = [];
  const tracer = createTracer({ registry, clock, pid, exitFlush: false, onError: (err) => sinkFailures.push(err) });
  return { tracer, sinkFailures };
}

/** Emits `n` records alternating between t_select and t_ints. */
export function emit(tracer: Tracer, n: number): void {
  const select = tracer.registry.lookup('t_select')!.index;
  const ints = tracer.registry.lookup('t_ints')!.index;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) tracer.emit(select, [0x1000n + BigInt(i), i & 0xffff, 'signature', i]);
    else tracer.emit(ints, [-i, i, BigInt(-i), BigInt(i)]);
  }
}
