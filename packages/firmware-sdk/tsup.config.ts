import { defineConfig } from 'tsup';

export default defineConfig({
  // The demo firmware is a guest program a vCPU loads by file, so it is an entry of its own (no types needed).
  entry: { index: 'src/index.ts', 'demo-firmware': 'demo/firmware/firmware.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
