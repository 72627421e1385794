// The UT32 opcode table as the assembler sees it: core owns it, so the emulator's interpreter shares it.
export { UT32_INSTRUCTION_BYTES, UT32_OPS, UT32_SP, ut32OpInfo } from '@unitrace/core';
export type { Ut32Form, Ut32OpInfo } from '@unitrace/core';
