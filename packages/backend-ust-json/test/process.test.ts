// Process-level behaviour: stdout/stderr destinations, and nothing lost when the process exits without awaiting.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Unpackr } from 'msgpackr';
import { HOST, RECORDS } from './support/corpus.js';
import { lines, tempDir } from './support/env.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const golden = readFileSync(fileURLToPath(new URL('./golden/records.ndjson', import.meta.url)), 'utf8').split('\n');

function runFixture(name: string, args: string[]): { stdout: Buffer; stderr: Buffer; status: number | null } {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const r = spawnSync(process.execPath, ['--conditions=@unitrace/source', '--import', tsx, script, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('stdio destinations', () => {
  it('stdout gets the JSON lines, synchronously, before an immediate exit', () => {
    const r = runFixture('write-stdio.ts', ['stdout', 'json']);
    expect(r.status, r.stderr.toString()).toBe(0);
    const out = r.stdout.toString().split('\n');
    // the corpus records (golden lines 1-12) and a dropped record at t = 5
    expect(out.slice(0, RECORDS.length)).toEqual(golden.slice(0, RECORDS.length));
    expect(JSON.parse(out[RECORDS.length])).toEqual({ name: 'unitrace:dropped', timestamp: 5, origin: 'host', fields: { count: 2 } });
  }, 60_000);

  it('stderr gets MessagePack when asked', () => {
    const r = runFixture('write-stdio.ts', ['stderr', 'msgpack']);
    expect(r.status).toBe(0);
    const values = new Unpackr({ useRecords: false }).unpackMultiple(r.stderr) as Array<{ name: string }>;
    expect(values.length).toBe(RECORDS.length + 1);
    expect(values[0].name).toBe('host:fw_cfg_select');
  }, 60_000);
});

describe('exit', () => {
  it('flushSync from the exit hook writes every record, in order, with writes still in flight', () => {
    const file = tmp.path('exit.json');
    const rounds = 300;
    const r = runFixture('exit-flush.ts', [file, String(rounds)]);
    expect(r.status, r.stderr.toString()).toBe(0);
    const got = lines(file);
    const hostNames = RECORDS.filter((x) => x.source === HOST).map((x) => `host:${x.event}`);
    expect(got.length).toBe(rounds * hostNames.length);
    got.forEach((l, i) => {
      if (JSON.parse(l).name !== hostNames[i % hostNames.length]) throw new Error(`line ${i + 1} out of order: ${l.slice(0, 60)}`);
    });
  }, 60_000);
});
