// A UT32 guest fault: what the interpreter throws into the guest program when UT32 code does something no CPU can.

/** What went wrong, as a stable word tests and tools can match on. */
export type Ut32FaultKind = 'fetch' | 'opcode' | 'encoding' | 'memory' | 'divide' | 'entry';

/**
 * Thrown into the guest program (never into the host) when UT32 code faults: it ends the guest with a `threw`
 * outcome whose message names the fault and the pc, unless the guest program catches it. Must not be used for
 * halts or machine shutdown (those unwind with the vCPU's own signals).
 */
export class Ut32Fault extends Error {
  /** The kind of fault. */
  readonly kind: Ut32FaultKind;
  /** Guest-physical address of the faulting instruction. */
  readonly pc: number;

  constructor(kind: Ut32FaultKind, pc: number, detail: string) {
    super(`UT32 ${kind} fault at pc ${hex(pc)}: ${detail}`);
    this.name = 'Ut32Fault';
    this.kind = kind;
    this.pc = pc;
  }
}

/** `0x` and 8 hex digits: how UT32 messages show addresses and words. */
export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}
