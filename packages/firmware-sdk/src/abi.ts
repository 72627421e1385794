// The guest trace channel ABI, version 1, as the guest writes it (packages/emulator/docs/channel-abi.md). The SDK
// keeps its own copy: it must never import the emulator. Every multi-byte field is little-endian.

/** The ABI version this SDK speaks. */
export const CHANNEL_ABI_VERSION = 1;

/** `transport` field of a handshake. */
export const TRANSPORT_FW_CFG = 1;
export const TRANSPORT_HYPERCALL = 2;

/** Handshake block: 96 bytes, magic `UTHS`. */
export const HANDSHAKE_MAGIC = 0x53485455;
export const HANDSHAKE_BYTES = 96;
export const HS_MAGIC = 0;
export const HS_VERSION = 4;
export const HS_TRANSPORT = 6;
export const HS_EVENT_COUNT = 8;
export const HS_BATCH_BYTES = 12;
export const HS_STATE_PAGE = 16;
export const HS_HASH = 24;
export const HS_NAMES_BYTES = 56;
export const HS_FLAGS = 60;
export const HS_NAMES_ADDR = 64;
export const HS_MAILBOX_ADDR = 72;
export const HS_STATUS_ADDR = 80;

/** Status block: 256 bytes, magic `UTST`. */
export const STATUS_MAGIC = 0x54535455;
export const STATUS_BYTES = 256;
export const ST_VERSION = 4;
export const ST_STATE = 6;
export const ST_REASON = 8;
export const ST_TEXT_LENGTH = 10;
export const ST_HOST_COUNT = 12;
export const ST_HOST_HASH = 16;
export const ST_GUEST_HASH = 48;
export const ST_UNKNOWN = 80;
export const ST_MAX_BATCH = 84;
export const ST_ACCEPTED = 88;
export const ST_REJECTED = 96;
export const ST_LOST = 104;
export const ST_FILTERED = 112;
export const ST_NEXT_SEQ = 120;
export const ST_TEXT = 128;
export const STATUS_TEXT_BYTES = 128;

/** `state` values of the status block. */
export const STATE_NONE = 0;
export const STATE_ACCEPTED = 1;
export const STATE_BY_NAME = 2;
export const STATE_REFUSED = 3;

/** Batch header: 32 bytes, magic `UTBT`, then the records. */
export const BATCH_MAGIC = 0x54425455;
export const BATCH_HEADER_BYTES = 32;
export const BH_SEQ = 4;
export const BH_COUNT = 8;
export const BH_BYTES = 12;
export const BH_DROPPED = 16;
export const BH_FLAGS = 20;
export const BH_FIRST_RECORD = 24;

/** A record: id u64, timestamp u64 (guest ticks), length u32 (24 + payload), pid u32 (vCPU index), payload. */
export const RECORD_HEADER_BYTES = 24;
/** QEMU's MAX_TRACE_STRLEN: longer strings are cut (spec §5.1). */
export const MAX_STRING_BYTES = 512;

/** fw_cfg items of a source: `opt/unitrace/<source>/<item>`. */
export const FW_CFG_ITEM_PREFIX = 'opt/unitrace/';

/** Hypercall registers (32-bit, little-endian). */
export const HYPERCALL_PC_PORT = 0x5a0;
export const HYPERCALL_VIRT_BASE = 0x0910_0000;
export const HC_HANDSHAKE = 0;
export const HC_STATUS = 4;
export const HC_DOORBELL = 8;
export const HC_SIGNATURE = 12;
export const HYPERCALL_SIGNATURE = 0x43485455;
export const DOORBELL_DROPS_ONLY = 0xffff_ffff;

/** Mailbox: 64 bytes. */
export const MAILBOX_BYTES = 64;
export const MB_TIMESTAMP = 0;
export const MB_PID = 8;
export const MB_DROPPED = 12;
export const MB_ARGS = 16;
export const MAX_HYPERCALL_ARGS = 5;
