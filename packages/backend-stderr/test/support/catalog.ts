// Test helper: a small host + guest catalog like the conformance kit's, a tracer over it, and sample values.
import { catalogFromText, createManualClock, createRegistry, createTracer, payloadBytes, writeArgs, type ArgValue, type ManualClock, type Registry, type Tracer } from '@unitrace/core';

const HOST = `ref_void(void) ""
ref_none(int x)
ref_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f, int64_t g, uint64_t h) "a %d b %u c %d d %u e %d f %u g %" PRId64 " h %" PRIu64
ref_misc(bool flag, void *ptr, char ch, long l, size_t sz, unsigned u) "flag %d ptr %p ch %c l %ld sz %zu u 0x%x"
ref_str(const char *s, const char *t) "s \\"%s\\" t %s"
include "guest-events" as ref_guest
include "other-events" as ref_other
`;
const GUEST = `ref_guest_step(uint32_t step, const char *what) "step %u %s"
ref_guest_value(uint64_t v) "v 0x%" PRIx64
`;
const OTHER = `ref_other_tick(void) "tick"
`;

/** Events and values the tests emit: edge values of each C type, a NULL and a long string, guest events. */
export const SAMPLES: ReadonlyArray<readonly [string, readonly ArgValue[]]> = [
  ['ref_void', []],
  ['ref_none', [42]],
  ['ref_ints', [-128, 255, -32768, 65535, -2147483648, 4294967295, -(2n ** 63n), 2n ** 64n - 1n]],
  ['ref_ints', [-1, -1, -1, -1, -1, -1, -1n, -1n]],
  ['ref_misc', [true, 0x55d925bd9490n, 65, -9007199254740993n, 2n ** 53n + 1n, 0xdeadbeef]],
  ['ref_misc', [false, null, -1, 0, 0, 0]],
  ['ref_str', ['hello', '']],
  ['ref_str', [null, 'quote " backslash \\ newline \n tab \t ünïcödé']],
  ['ref_str', ['x'.repeat(600), 'y']],
  ['ref_guest_step', [1, 'power-on']],
  ['ref_guest_value', [0x8000000000000000n]],
  ['ref_other_tick', []],
];

/** A registry over the test catalog, every event enabled. */
export function testRegistry(): Registry {
  const catalog = catalogFromText(HOST, 'ref/trace-events', {
    readFile: (path: string) => {
      if (path.endsWith('guest-events')) return GUEST;
      if (path.endsWith('other-events')) return OTHER;
      throw new Error(`no such file ${path}`);
    },
  });
  const registry = createRegistry(catalog);
  registry.enable('*');
  return registry;
}

/** A tracer over `testRegistry()` with a manual clock starting at 1 ms, pid 4242, no exit hook. */
export function testTracer(): { tracer: Tracer; clock: ManualClock } {
  const clock = createManualClock(1_000_000);
  return { tracer: createTracer({ registry: testRegistry(), clock, pid: 4242, exitFlush: false }), clock };
}

/** Emits every sample `rounds` times, 1.5 µs apart; guest events go through `beginAt`, as a guest channel would. */
export function emitSamples(tracer: Tracer, clock: ManualClock, rounds = 1): number {
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [name, values] of SAMPLES) {
      const ev = tracer.registry.lookup(name)!;
      if (ev.source.kind === 'guest') {
        const o = tracer.beginAt(ev.index, payloadBytes(ev.decl.args, values), clock.nowNs(), 1000 + n);
        writeArgs(tracer.writer, o, ev.decl.args, values);
      } else tracer.emit(ev.index, values);
      clock.advance(1500);
      n++;
    }
  }
  return n;
}
