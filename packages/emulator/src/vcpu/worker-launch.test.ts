import { describe, expect, it } from 'vitest';
import { DIST_WORKER_ENTRY, guestModuleUrl, runningFromSource, workerEntryUrl } from './worker-launch.js';

describe('worker entry resolution', () => {
  it('uses the .ts entry next to the source and the built entry next to a bundle', () => {
    expect(runningFromSource('file:///repo/packages/emulator/src/vcpu/worker-launch.ts')).toBe(true);
    expect(workerEntryUrl('file:///repo/packages/emulator/src/vcpu/worker-launch.ts').href).toBe(
      'file:///repo/packages/emulator/src/vcpu/worker-entry.ts',
    );
    expect(runningFromSource('file:///repo/packages/emulator/dist/index.js')).toBe(false);
    expect(workerEntryUrl('file:///repo/packages/emulator/dist/chunk-ABC.js').href).toBe(
      `file:///repo/packages/emulator/dist/${DIST_WORKER_ENTRY}`,
    );
  });

  it('runs this test from source', () => {
    expect(runningFromSource()).toBe(true);
  });
});

describe('guestModuleUrl', () => {
  it('takes URLs, file: URL strings and paths', () => {
    const url = new URL('file:///guests/a.ts');
    expect(guestModuleUrl(url)).toBe(url);
    expect(guestModuleUrl('file:///guests/b.js').href).toBe('file:///guests/b.js');
    expect(guestModuleUrl('/guests/c.ts').href).toBe('file:///guests/c.ts');
    expect(guestModuleUrl('guests/d.ts').href).toBe(new URL(`file://${process.cwd()}/guests/d.ts`).href);
  });
});
