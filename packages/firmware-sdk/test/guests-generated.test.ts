// The test guests' trace modules are firmware-ts output for their catalogs: regenerate with `npx vitest run -u`.
import { join } from 'node:path';
import { catalogFromText } from '@unitrace/core';
import { generateFirmwareTs } from '@unitrace/core/codegen';
import { describe, expect, it } from 'vitest';

/** Guest catalog folder → the source name the guest uses (the `as NAME` of the host catalog's include). */
const GUESTS: Readonly<Record<string, string>> = { 'channel-fw': 'fw', 'channel-fw-plus': 'fw', 'channel-kernel': 'kernel' };

describe('test guests: generated trace modules', () => {
  for (const [dir, name] of Object.entries(GUESTS)) {
    it(`${dir}/trace.ts is up to date`, async () => {
      const root = join(import.meta.dirname, 'guests', dir, 'catalog-root');
      const source = catalogFromText(`include "trace-events" as ${name}\n`, root).sources[1];
      const text = generateFirmwareTs(source, { origin: `test/guests/${dir}/trace-events` });
      await expect(text).toMatchFileSnapshot(join('guests', dir, 'trace.ts'));
    });
  }
});
