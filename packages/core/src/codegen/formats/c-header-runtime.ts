// The C runtime every c-header output carries once (guarded): the batch encoder, flush and the handshake block.
// It must produce the bytes the firmware SDK's TypeScript tracer produces (channel ABI v1, little-endian).

/** Declarations and inline helpers; guarded by UNITRACE_RUNTIME_H so several generated headers can be included. */
export const C_RUNTIME_DECLS = `#ifndef UNITRACE_RUNTIME_H
#define UNITRACE_RUNTIME_H
/* Unitrace guest channel ABI v1 (packages/emulator/docs/channel-abi.md). All fields little-endian. */
#define UNITRACE_ABI_VERSION 1u
#define UNITRACE_HANDSHAKE_MAGIC 0x53485455u
#define UNITRACE_HANDSHAKE_BYTES 96u
#define UNITRACE_BATCH_MAGIC 0x54425455u
#define UNITRACE_BATCH_HEADER_BYTES 32u
#define UNITRACE_RECORD_HEADER_BYTES 24u
#define UNITRACE_MAX_STRING 512u
#define UNITRACE_TRANSPORT_FW_CFG 1u
#define UNITRACE_TRANSPORT_HYPERCALL 2u

/* One source's tracer. The state page is written by the host: bit (id & 7) of byte (id >> 3) enables local id. */
typedef struct unitrace_tracer {
  const volatile uint8_t *state;
  uint8_t *batch;             /* batch buffer: header, then records */
  uint32_t capacity;          /* bytes of the batch buffer, header included */
  uint32_t used;              /* bytes in use, header included */
  uint32_t count;             /* records in the buffer */
  uint32_t seq;               /* sequence number of the next batch */
  uint64_t first_record;      /* cumulative index of the buffer's first record */
  uint32_t dropped;           /* records dropped since the last batch the host took */
  uint32_t pid;               /* written into every record: the vCPU index */
  int flush_when_full;        /* send a full batch instead of dropping the record */
  uint64_t (*clock)(void *ctx);                                        /* guest clock (rdtsc) */
  int (*send)(void *ctx, const uint8_t *batch, uint32_t length);       /* one DMA write; nonzero on success */
  void *ctx;
  uint64_t sent;              /* records the host took */
  uint64_t dropped_total;     /* records dropped, reported or not */
} unitrace_tracer;

void unitrace_init(unitrace_tracer *t, const volatile uint8_t *state, uint8_t *batch, uint32_t capacity, uint32_t pid,
                   uint64_t (*clock)(void *), int (*send)(void *, const uint8_t *, uint32_t), void *ctx);
uint8_t *unitrace_begin(unitrace_tracer *t, uint32_t id, uint32_t payload);
int unitrace_flush(unitrace_tracer *t);
void unitrace_handshake_block(uint8_t out[96], uint16_t transport, uint32_t event_count, uint32_t batch_bytes,
                              uint64_t state_page, const uint8_t hash[32], uint32_t names_bytes);

static inline void unitrace_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline uint8_t *unitrace_put_u64(uint8_t *p, uint64_t v) {
  unitrace_le32(p, (uint32_t)v);
  unitrace_le32(p + 4, (uint32_t)(v >> 32));
  return p + 8;
}

static inline uint32_t unitrace_strlen(const char *s) {
  uint32_t n = 0;
  if (!s) return 0;
  while (n < UNITRACE_MAX_STRING && s[n]) n++;
  return n;
}

static inline uint8_t *unitrace_put_str(uint8_t *p, const char *s, uint32_t n) {
  uint32_t i;
  unitrace_le32(p, n);
  for (i = 0; i < n; i++) p[4 + i] = (uint8_t)s[i];
  return p + 4 + n;
}

static inline int unitrace_enabled(const unitrace_tracer *t, uint32_t id) {
  return (t->state[id >> 3] >> (id & 7u)) & 1u;
}
#endif /* UNITRACE_RUNTIME_H */
`;

/** Definitions, compiled once: in the one file that defines UNITRACE_IMPLEMENTATION before including a header. */
export const C_RUNTIME_IMPL = `#if defined(UNITRACE_IMPLEMENTATION) && !defined(UNITRACE_RUNTIME_IMPL)
#define UNITRACE_RUNTIME_IMPL
void unitrace_init(unitrace_tracer *t, const volatile uint8_t *state, uint8_t *batch, uint32_t capacity, uint32_t pid,
                   uint64_t (*clock)(void *), int (*send)(void *, const uint8_t *, uint32_t), void *ctx) {
  t->state = state; t->batch = batch; t->capacity = capacity; t->used = UNITRACE_BATCH_HEADER_BYTES; t->count = 0;
  t->seq = 0; t->first_record = 0; t->dropped = 0; t->pid = pid; t->flush_when_full = 1;
  t->clock = clock; t->send = send; t->ctx = ctx; t->sent = 0; t->dropped_total = 0;
}

/* One batch: header, then the records; one send. A refused batch is counted as dropped, the sequence stays. */
static int unitrace_send_batch(unitrace_tracer *t) {
  uint8_t *h = t->batch;
  int ok;
  unitrace_le32(h, UNITRACE_BATCH_MAGIC);
  unitrace_le32(h + 4, t->seq);
  unitrace_le32(h + 8, t->count);
  unitrace_le32(h + 12, t->used - UNITRACE_BATCH_HEADER_BYTES);
  unitrace_le32(h + 16, t->dropped);
  unitrace_le32(h + 20, 0);
  unitrace_put_u64(h + 24, t->first_record);
  ok = t->send(t->ctx, t->batch, t->used);
  if (ok) {
    t->seq++; t->first_record += t->count; t->sent += t->count; t->dropped = 0;
  } else {
    t->dropped += t->count; t->dropped_total += t->count;
  }
  t->used = UNITRACE_BATCH_HEADER_BYTES;
  t->count = 0;
  return ok;
}

uint8_t *unitrace_begin(unitrace_tracer *t, uint32_t id, uint32_t payload) {
  uint32_t len = UNITRACE_RECORD_HEADER_BYTES + payload;
  uint8_t *p;
  if (t->used + len > t->capacity) {
    if (!t->flush_when_full || len > t->capacity - UNITRACE_BATCH_HEADER_BYTES) {
      t->dropped++; t->dropped_total++;
      return 0;
    }
    unitrace_send_batch(t);
  }
  p = t->batch + t->used;
  unitrace_put_u64(p, id);
  unitrace_put_u64(p + 8, t->clock(t->ctx));
  unitrace_le32(p + 16, len);
  unitrace_le32(p + 20, t->pid);
  t->used += len;
  t->count++;
  return p + UNITRACE_RECORD_HEADER_BYTES;
}

int unitrace_flush(unitrace_tracer *t) {
  if (t->count == 0 && t->dropped == 0) return 1;
  return unitrace_send_batch(t);
}

void unitrace_handshake_block(uint8_t out[96], uint16_t transport, uint32_t event_count, uint32_t batch_bytes,
                              uint64_t state_page, const uint8_t hash[32], uint32_t names_bytes) {
  uint32_t i;
  for (i = 0; i < UNITRACE_HANDSHAKE_BYTES; i++) out[i] = 0;
  unitrace_le32(out, UNITRACE_HANDSHAKE_MAGIC);
  out[4] = (uint8_t)UNITRACE_ABI_VERSION; out[5] = 0;
  out[6] = (uint8_t)transport; out[7] = (uint8_t)(transport >> 8);
  unitrace_le32(out + 8, event_count);
  unitrace_le32(out + 12, batch_bytes);
  unitrace_put_u64(out + 16, state_page);
  for (i = 0; i < 32; i++) out[24 + i] = hash[i];
  unitrace_le32(out + 56, names_bytes);
}
#endif /* UNITRACE_IMPLEMENTATION */
`;
