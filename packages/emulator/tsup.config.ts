import { defineConfig } from 'tsup';

export default defineConfig({
  // The vCPU worker is its own entry: a worker thread loads it by file, not through the package index.
  entry: { index: 'src/index.ts', 'vcpu-worker': 'src/vcpu/worker-entry.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
