/* LTTng-UST tracepoint provider of figure 4: the same 4-integer event Unitrace's bench catalog declares as
 * bench_four(uint64_t a, uint64_t b, uint32_t c, int d). Built by bench/src/figures/lttng.ts with gcc. */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER unitrace_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./unitrace-bench-tp.h"

#if !defined(UNITRACE_BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define UNITRACE_BENCH_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(
    unitrace_bench,
    bench_four,
    LTTNG_UST_TP_ARGS(uint64_t, a, uint64_t, b, uint32_t, c, int, d),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, a, a)
        lttng_ust_field_integer(uint64_t, b, b)
        lttng_ust_field_integer(uint32_t, c, c)
        lttng_ust_field_integer(int, d, d)
    )
)

#endif /* UNITRACE_BENCH_TP_H */

#include <lttng/tracepoint-event.h>
