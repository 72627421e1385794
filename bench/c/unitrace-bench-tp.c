/* The tracepoint provider's probes, compiled into the bench program. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "unitrace-bench-tp.h"
