// Public face of @unitrace/core/channel-abi: the guest trace channel ABI, version 1, as wire constants. The one
// definition both sides use: the emulator's channels (host) and the firmware SDK (guest), which must never import
// each other. Byte tables: packages/emulator/docs/channel-abi.md.
import { MAX_TRACE_STRLEN } from './record.js';

/** The ABI version this host speaks. A handshake of any other version is refused. */
export const CHANNEL_ABI_VERSION = 1;

/** Every multi-byte field of the channel is little-endian (as the simpletrace records it carries). */
export const CHANNEL_LITTLE_ENDIAN = true;

/** `transport` field of a handshake. */
export const TRANSPORT_FW_CFG = 1;
export const TRANSPORT_HYPERCALL = 2;

/** Handshake block: 96 bytes. Magic `UTHS` (bytes 55 54 48 53). */
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

/** Status block: 256 bytes. Magic `UTST` (bytes 55 54 53 54). */
export const STATUS_MAGIC = 0x54535455;
export const STATUS_BYTES = 256;
export const ST_MAGIC = 0;
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
/** Bytes of status text at most (ASCII, NUL-padded). */
export const STATUS_TEXT_BYTES = 128;

/** `state` field of the status block. */
export const STATE_NONE = 0;
export const STATE_ACCEPTED = 1;
export const STATE_BY_NAME = 2;
export const STATE_REFUSED = 3;

/** `reason` field of the status block: why a handshake was refused (0 when it was not). */
export const REASON_OK = 0;
export const REASON_MAGIC = 1;
export const REASON_VERSION = 2;
export const REASON_TRANSPORT = 3;
export const REASON_CATALOG = 4;
export const REASON_EVENT_COUNT = 5;
export const REASON_STATE_PAGE = 6;
export const REASON_BATCH_BYTES = 7;
export const REASON_BAD_NAMES = 8;
export const REASON_ARG_TYPES = 9;
export const REASON_MAILBOX = 10;
export const REASON_PARTIAL_WRITE = 11;

/** Short names of the reasons, by code (for status text, trace events and tests). */
export const REASON_TEXT: readonly string[] = [
  'ok',
  'bad magic',
  'ABI version',
  'wrong transport',
  'catalog mismatch',
  'event count',
  'bad state page',
  'bad batch size',
  'bad names',
  'argument types differ',
  'bad mailbox',
  'partial handshake write',
];

/** Batch header: 32 bytes, then the records. Magic `UTBT` (bytes 55 54 42 54). */
export const BATCH_MAGIC = 0x54425455;
export const BATCH_HEADER_BYTES = 32;
export const BH_MAGIC = 0;
export const BH_SEQ = 4;
export const BH_COUNT = 8;
export const BH_BYTES = 12;
export const BH_DROPPED = 16;
export const BH_FLAGS = 20;
export const BH_FIRST_RECORD = 24;

/** A guest record: simpletrace v4's event record without the type word. Header bytes before the payload. */
export const GUEST_RECORD_HEADER_BYTES = 24;
export const GR_ID = 0;
export const GR_TIMESTAMP = 8;
export const GR_LENGTH = 16;
export const GR_PID = 20;
/** Longest string argument in a guest record (QEMU's MAX_TRACE_STRLEN): the guest cuts longer strings. */
export const MAX_STRING_BYTES: number = MAX_TRACE_STRLEN;
/** The longest guest record: 10 strings of 512 bytes (spec §5.2 maximum sizes). */
export const MAX_GUEST_RECORD_BYTES: number = GUEST_RECORD_HEADER_BYTES + 10 * (4 + 512);

/** Most events a guest source may declare in a handshake. */
export const MAX_GUEST_EVENTS = 65536;

/** fw_cfg items live under this prefix, then the source name, then one of the item names below. */
export const FW_CFG_ITEM_PREFIX = 'opt/unitrace/';
export const ITEM_HANDSHAKE = 'handshake';
export const ITEM_STATUS = 'status';
export const ITEM_RECORDS = 'records';
export const ITEM_NAMES = 'names';
/** Default size of the records item (the largest batch the host accepts) and its bounds. */
export const DEFAULT_RECORDS_BYTES = 16384;
export const MIN_RECORDS_BYTES = 8192;
export const MAX_RECORDS_BYTES = 1048576;
/** Default size of the names item and its bounds. */
export const DEFAULT_NAMES_BYTES = 16384;
export const MAX_NAMES_BYTES = 1048576;
/** The smallest batch a guest may announce: a header and one record without arguments. */
export const MIN_BATCH_BYTES: number = BATCH_HEADER_BYTES + GUEST_RECORD_HEADER_BYTES;

/** Hypercall registers (32-bit, little-endian): pc ports from 0x5A0, virt MMIO from 0x09100000. */
export const HYPERCALL_PC_PORT = 0x5a0;
export const HYPERCALL_VIRT_BASE = 0x0910_0000;
export const HYPERCALL_WINDOW = 16;
export const HC_HANDSHAKE = 0;
export const HC_STATUS = 4;
export const HC_DOORBELL = 8;
export const HC_SIGNATURE = 12;
/** What a read of the signature register returns: `UTHC` (bytes 55 54 48 43). */
export const HYPERCALL_SIGNATURE = 0x43485455;
/** A doorbell with this id carries no record: the host only collects the mailbox's dropped count. */
export const DOORBELL_DROPS_ONLY = 0xffff_ffff;

/** Mailbox: 64 bytes in guest RAM. */
export const MAILBOX_BYTES = 64;
export const MB_TIMESTAMP = 0;
export const MB_PID = 8;
export const MB_DROPPED = 12;
export const MB_ARGS = 16;
/** Words a hypercall record carries at most. */
export const MAX_HYPERCALL_ARGS = 5;
