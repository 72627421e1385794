// Guest in plain JavaScript (for runs from a build without TypeScript support): rings args.count times, halts 7.
export default function plain(cpu, args) {
  for (let i = 0; i < args.count; i++) cpu.outb(0x1f8, i);
  cpu.ramView.setUint32(0x1000, cpu.inb(0x3ff), true);
  cpu.halt(7);
}
