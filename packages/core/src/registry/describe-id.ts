// Human-readable wire ids: host ids in decimal, ids in the guest window (and the reserved ids) in hex.

/** The first id of the guest window (DESIGN.md, IDs): every guest range, pinned or not, lies at or above it. */
const GUEST_WINDOW = 0x8000_0000_0000_0000n;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * Formats a wire id for people: decimal below the guest window (`42`, as QEMU numbers host events), hex from it on
 * (`0x8000000100000003`: always 16 digits there, and the source and local id can be read off). Ids outside u64
 * come back in plain decimal. Must not be parsed back: it is for listings and messages only.
 */
export function describeId(id: bigint): string {
  if (id < GUEST_WINDOW || id > U64_MAX) return id.toString(10);
  return `0x${id.toString(16)}`;
}
