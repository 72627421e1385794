// The fw_cfg device's public surface, for the package index to re-export by name.
export { createFwCfg } from './fw-cfg.js';
export type { FwCfgDevice, FwCfgOptions, FwCfgRegisters } from './fw-cfg.js';
export type { FwCfgFileInfo, FwCfgFileOptions, FwCfgWriteCallback } from './items.js';
export type { FwCfgTrace } from './trace.js';
export { FW_CFG_OPT_WARNING, checkUserItem, parseFwCfgOption } from './user-item.js';
export type { FwCfgUserItem } from './user-item.js';
export {
  FW_CFG_ARCH_LOCAL,
  FW_CFG_BOOT_MENU,
  FW_CFG_CMDLINE_DATA,
  FW_CFG_CMDLINE_SIZE,
  FW_CFG_DMA_CTL_ERROR,
  FW_CFG_DMA_CTL_READ,
  FW_CFG_DMA_CTL_SELECT,
  FW_CFG_DMA_CTL_SKIP,
  FW_CFG_DMA_CTL_WRITE,
  FW_CFG_DMA_DESC_SIZE,
  FW_CFG_DMA_SIGNATURE,
  FW_CFG_ENTRY_MASK,
  FW_CFG_FILE_DIR,
  FW_CFG_FILE_FIRST,
  FW_CFG_FILE_SLOTS_DFLT,
  FW_CFG_FILE_SLOTS_MAX,
  FW_CFG_FILE_SLOTS_MIN,
  FW_CFG_ID,
  FW_CFG_INVALID,
  FW_CFG_MAX_CPUS,
  FW_CFG_MAX_FILE_PATH,
  FW_CFG_NB_CPUS,
  FW_CFG_NOGRAPHIC,
  FW_CFG_RAM_SIZE,
  FW_CFG_SIGNATURE,
  FW_CFG_UUID,
  FW_CFG_VERSION,
  FW_CFG_VERSION_DMA,
  FW_CFG_WRITE_CHANNEL,
  fwCfgKeyName,
} from './keys.js';
