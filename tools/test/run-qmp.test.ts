// `unitrace run --qmp` with -S: a QMP client starts the machine, switches a firmware event off and on while the
// firmware runs (its test mode traces a heartbeat every 10 ms), and sees it leave and return in the trace; and the
// refusal of a firmware built with another catalog, as query-trace-sources and the summary show it.
import { join } from 'node:path';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { loadCatalog } from '@unitrace/core';
import { type QmpClient, connectQmp } from '@unitrace/emulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SOURCE as FOREIGN_SOURCE } from './fixtures/run/foreign-firmware.js';
import { startUnitrace, type UnitraceChild } from './fixtures/run/child.js';
import { tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-run-qmp-');
afterAll(() => tmp.cleanup());
const FIXTURES = join(import.meta.dirname, 'fixtures', 'run');
const children: UnitraceChild[] = [];
const clients: QmpClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const c of children.splice(0)) c.child.kill();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const HEARTBEAT = /^fw_heartbeat heartbeat (\d+) of 5000$/;

/** Heartbeat numbers on stderr so far. */
function beats(child: UnitraceChild): number[] {
  return child.lines.flatMap((l) => {
    const m = HEARTBEAT.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

describe('unitrace run --qmp', { timeout: 120_000 }, () => {
  it('starts paused with -S, runs on cont, and a firmware event goes off and on while the firmware runs', async () => {
    const socket = tmp.path('qmp.sock');
    const child = startUnitrace(
      [
        'run',
        '-S',
        '--qmp',
        `unix:${socket}`,
        '--fw-cfg',
        'name=opt/unitrace/demo/heartbeats,string=5000',
        '--fw-cfg',
        'name=opt/unitrace/demo/heartbeat-ms,string=10',
        '--trace',
        'fw_*',
        '--backend',
        'stderr',
        '--backend',
        'simple:beats.trace',
      ],
      tmp.dir,
    );
    children.push(child);
    await child.waitFor(/^unitrace: QMP listening on unix:/);
    const qmp = await connectQmp(`unix:${socket}`);
    clients.push(qmp);
    expect(await qmp.execute('query-status')).toEqual({ status: 'prelaunch', running: false });
    await sleep(300);
    expect(beats(child)).toEqual([]);

    await qmp.execute('cont');
    await child.waitFor(/^fw_heartbeat heartbeat 5 of 5000$/);
    await qmp.execute('trace-event-set-state', { name: 'fw_heartbeat', enable: false });
    expect(await qmp.execute('trace-event-get-state', { name: 'fw_heartbeat' })).toEqual([{ name: 'fw_heartbeat', state: 'disabled' }]);
    // What was sent before the switch arrives within the ordering window; after that, nothing more.
    await sleep(500);
    const lastBefore = Math.max(...beats(child));
    await sleep(600);
    expect(Math.max(...beats(child))).toBe(lastBefore);

    await qmp.execute('trace-event-set-state', { name: 'fw_heartbeat', enable: true });
    const from = child.lines.length;
    const back = Number(HEARTBEAT.exec(await child.waitFor(HEARTBEAT, 20_000, from))![1]);
    // About 60 heartbeats passed unseen: the firmware kept running, its records were never sent.
    expect(back).toBeGreaterThan(lastBefore + 20);
    const seen = beats(child);
    expect(seen.slice(0, seen.indexOf(lastBefore) + 1)).toEqual(Array.from({ length: lastBefore }, (_, i) => i + 1));

    await qmp.execute('quit');
    expect(await child.exited).toBe(0);
    expect(child.lines).toContainEqual(expect.stringMatching(/^unitrace: guest stopped by quit after \d+ exits/));

    // The trace file tells the same story.
    const trace = await openSimpleTrace(join(tmp.dir, 'beats.trace'), { events: loadCatalog(join(FIXTURES, '..', '..', '..', '..', 'packages', 'firmware-sdk', 'demo', 'trace-events')).sources.flatMap((s) => s.events) });
    const inFile: number[] = [];
    for await (const rec of trace.records()) if (rec.name === 'fw_heartbeat') inFile.push(Number(rec.args![0]));
    expect(inFile.slice(0, lastBefore)).toEqual(Array.from({ length: lastBefore }, (_, i) => i + 1));
    expect(inFile[lastBefore]).toBe(back);
  });

  it('refuses a firmware built with another catalog, loudly: query-trace-sources and the summary', async () => {
    const catalog = loadCatalog(join(FIXTURES, 'foreign', 'trace-events'));
    expect(FOREIGN_SOURCE.hash).toBe(catalog.sources[1]!.hash);
    const socket = tmp.path('refuse.sock');
    const child = startUnitrace(['run', '--qmp', `unix:${socket}`, '--firmware', join(FIXTURES, 'foreign-firmware.ts'), '--backend', 'stderr', '--trace', 'guest_channel_refused'], tmp.dir);
    children.push(child);
    await child.waitFor(/^unitrace: QMP listening on/);
    const qmp = await connectQmp(`unix:${socket}`);
    clients.push(qmp);
    await child.waitFor(/^guest_channel_refused firmware via fw_cfg: REFUSED: /);
    const sources = (await qmp.execute('query-trace-sources')) as Array<Record<string, unknown>>;
    const firmware = sources.find((s) => s.name === 'firmware')!;
    expect(firmware).toMatchObject({ kind: 'guest', handshake: 'refused', channel: 'fw_cfg', 'guest-hash': FOREIGN_SOURCE.hash, 'first-id': '0x8000000000000000' });
    expect(String(firmware.detail)).toMatch(/catalog mismatch/);
    expect(await qmp.hmp('info trace-sources')).toMatch(/^firmware \(guest via fw_cfg\): ids 0x8000000000000000\.\.0x[0-9a-f]+, \d+ events, handshake refused \(/m);
    await qmp.execute('quit');
    // The foreign firmware halts with 0 only when it saw the refusal in its own status block.
    expect(await child.exited).toBe(0);
    expect(child.lines).toContainEqual(expect.stringMatching(/^unitrace: guest halted with code 0 /));
    expect(child.lines).toContainEqual(expect.stringMatching(/^unitrace: handshakes: firmware via fw_cfg: REFUSED \(catalog mismatch\): host catalog [0-9a-f]{16}, guest 08a173059e565151; no event names sent to map by; kernel via hypercall: no handshake$/));
    expect(child.lines).toContainEqual('unitrace: events: host 1, firmware 0, kernel 0');
  });
});
