// The UT32 opcode table as the interpreter sees it: core owns it, so the firmware SDK's assembler shares it.
export { UT32, UT32_INSTRUCTION_BYTES, UT32_OPS, UT32_REGISTER_COUNT, UT32_SP, ut32OpInfo } from '@unitrace/core';
export type { Ut32Form, Ut32OpInfo } from '@unitrace/core';
