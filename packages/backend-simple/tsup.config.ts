import { defineConfig } from 'tsup';

export default defineConfig({
  // writer-worker is the writer thread's entry: drainer.ts starts it as dist/writer-worker.js.
  entry: ['src/index.ts', 'src/format.ts', 'src/reader.ts', 'src/writer-worker.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
