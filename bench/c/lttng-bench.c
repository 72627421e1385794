/* Figure 4 of `npm run bench`: N calls of an LTTng-UST tracepoint with 4 integer fields, timed in-process.
 * Usage: lttng-bench N
 * Prints one JSON line: events, process and calling-thread CPU ns and wall ns around the loop only.
 * The consumer daemon that writes the trace to disk is another process: its CPU is not in these figures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "unitrace-bench-tp.h"

static int64_t ns(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000000;
	int64_t p0 = ns(CLOCK_PROCESS_CPUTIME_ID), t0 = ns(CLOCK_THREAD_CPUTIME_ID), w0 = ns(CLOCK_MONOTONIC);
	for (long i = 0; i < n; i++)
		lttng_ust_tracepoint(unitrace_bench, bench_four, (uint64_t)i, (uint64_t)i * 2, (uint32_t)(i & 0xffff), (int)-i);
	int64_t w1 = ns(CLOCK_MONOTONIC), t1 = ns(CLOCK_THREAD_CPUTIME_ID), p1 = ns(CLOCK_PROCESS_CPUTIME_ID);
	printf("{\"events\":%ld,\"processCpuNs\":%lld,\"threadCpuNs\":%lld,\"wallNs\":%lld}\n", n, (long long)(p1 - p0),
	       (long long)(t1 - t0), (long long)(w1 - w0));
	return 0;
}
