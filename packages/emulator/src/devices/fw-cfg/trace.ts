// The tracepoints fw_cfg calls: a structural subset of the generated host TraceEvents, so binding is one assignment.

/**
 * The fw_cfg events of the emulator's `trace-events` (section `devices/fw-cfg`), as the host-ts generator types
 * them. Pointers (`s`) are passed as 0: the device has no host address worth showing. Implementations must not
 * throw and must not keep the arguments.
 */
export interface FwCfgTrace {
  /** A selector write or DMA SELECT: the key, its trace name, 1 when selected, 0 when it became FW_CFG_INVALID. */
  fw_cfg_select(s: number, key_value: number, key_name: string, ret: number): void;
  /** A data-register read (the value as the big-endian register holds it), or 0 at the end of a DMA transfer. */
  fw_cfg_read(s: number, ret: number | bigint): void;
  /** A numeric-key item was added. */
  fw_cfg_add_bytes(key_value: number, key_name: string, len: number): void;
  /** A named file was added at directory index `index`. */
  fw_cfg_add_file(s: number, index: number, name: string, len: number): void;
  /** A string item was added (before its fw_cfg_add_bytes). */
  fw_cfg_add_string(key_value: number, key_name: string, value: string): void;
  /** A u16 item was added. */
  fw_cfg_add_i16(key_value: number, key_name: string, value: number): void;
  /** A u32 item was added. */
  fw_cfg_add_i32(key_value: number, key_name: string, value: number): void;
  /** A u64 item was added. */
  fw_cfg_add_i64(key_value: number, key_name: string, value: number | bigint): void;
  /** A DMA descriptor was read at `desc` (after its SELECT, so `key` is the entry the transfer uses). */
  fw_cfg_dma_transfer(desc: number | bigint, control: number, length: number, address: number | bigint, key: number): void;
  /** A DMA transfer set the ERROR bit; `addr` is the descriptor or buffer address at fault. */
  fw_cfg_dma_error(addr: number | bigint, reason: string): void;
  /** A DMA write stored `len` guest bytes at `offset` of a writable item. */
  fw_cfg_dma_write(key_value: number, offset: number, len: number): void;
}
