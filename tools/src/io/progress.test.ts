// The progress bar: drawn on a terminal for large inputs only.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, PROGRESS_MIN_BYTES, type ProgressStream } from './progress.js';

function fakeStream(isTTY: boolean): { stream: ProgressStream; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream: Object.assign(w, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }), text: () => chunks.join('') };
}

describe('createProgress', () => {
  it('draws a bar with the MiB done and the total on a terminal', async () => {
    const { stream, text } = fakeStream(true);
    const p = await createProgress(64 * 1048576, 'converting', { stream });
    p.update(32 * 1048576);
    p.stop();
    p.stop();
    expect(text()).toContain('converting [');
    expect(text()).toContain('/64.0 MiB');
  });

  it('draws nothing when the stream is not a terminal', async () => {
    const { stream, text } = fakeStream(false);
    const p = await createProgress(64 * 1048576, 'converting', { stream });
    p.update(1);
    p.stop();
    expect(text()).toBe('');
  });

  it('draws nothing for an input smaller than the threshold', async () => {
    const { stream, text } = fakeStream(true);
    const p = await createProgress(PROGRESS_MIN_BYTES - 1, 'converting', { stream });
    p.update(1);
    p.stop();
    expect(text()).toBe('');
  });
});
