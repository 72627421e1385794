// HMP with QEMU's output (spec §4.3): trace-event, info trace-events, trace-file, run control, help, completion.
import { describe, expect, it } from 'vitest';
import { createHmpCompleter } from '../src/monitor/hmp-complete.js';
import { createHmp } from '../src/monitor/hmp.js';
import { FakeTarget, FakeTraceFile, startFixture } from './monitor-fixture.js';

function hmpOf(options: ConstructorParameters<typeof FakeTarget>[0] = {}): { target: FakeTarget; run: (line: string) => Promise<string> } {
  const target = new FakeTarget(options);
  const hmp = createHmp(target);
  return { target, run: (line) => hmp.execute(line) };
}

const lines = (...text: string[]): string => text.map((l) => `${l}\n`).join('');

describe('HMP info trace-events', () => {
  it('lists every event in reverse catalog order, state 1 only for enabled ones', async () => {
    const { target, run } = hmpOf();
    target.registry.applyState('fw_cfg_read', true);
    target.registry.applyState('fw_boot', true);
    expect(await run('info trace-events')).toBe(
      lines(
        'fw_step : state 0',
        'fw_boot : state 1',
        'io_write : state 0',
        'fw_cfg_secret : state 0',
        'fw_cfg_read : state 1',
        'fw_cfg_select : state 0',
      ),
    );
  });

  it('takes a pattern or an exact name, and an ignored vcpu', async () => {
    const { run } = hmpOf();
    expect(await run('info trace-events fw_cfg_*')).toBe(lines('fw_cfg_secret : state 0', 'fw_cfg_read : state 0', 'fw_cfg_select : state 0'));
    expect(await run('info trace-events io_write 0')).toBe(lines('io_write : state 0'));
    expect(await run('info trace-events nomatch*')).toBe('');
  });

  it('prints QMP\'s error for an unknown exact name', async () => {
    const { run } = hmpOf();
    expect(await run('info trace-events nope')).toBe(lines('unknown event "nope"'));
  });
});

describe('HMP trace-event', () => {
  it('switches an event and prints nothing', async () => {
    const { target, run } = hmpOf();
    expect(await run('trace-event fw_cfg_read on')).toBe('');
    expect(target.registry.getState(target.registry.lookup('fw_cfg_read')!.index)).toBe('enabled');
    expect(await run('trace-event "fw_cfg_read" off')).toBe('');
    expect(target.registry.getState(target.registry.lookup('fw_cfg_read')!.index)).toBe('disabled');
  });

  it('ignores unavailable events, even in a pattern, as QEMU\'s HMP passes ignore-unavailable', async () => {
    const { target, run } = hmpOf();
    expect(await run('trace-event fw_cfg_secret on')).toBe('');
    expect(await run('trace-event fw_cfg_* on 1')).toBe('');
    const states = target.registry.queryState('fw_cfg_*').map((e) => `${e.name}=${e.state}`);
    expect(states).toEqual(['fw_cfg_secret=unavailable', 'fw_cfg_read=enabled', 'fw_cfg_select=enabled']);
  });

  it('prints QEMU\'s messages for unknown names and malformed arguments', async () => {
    const { run } = hmpOf();
    expect(await run('trace-event nope on')).toBe(lines('unknown event "nope"'));
    expect(await run('trace-event fw_cfg_read maybe')).toBe(lines("Expected 'on' or 'off'", 'Try "help trace-event" for more information'));
    expect(await run('trace-event')).toBe(lines('trace-event: string expected', 'Try "help trace-event" for more information'));
    expect(await run('trace-event "fw_cfg_read on')).toBe(
      lines('unterminated string', 'trace-event: string expected', 'Try "help trace-event" for more information'),
    );
    expect(await run('trace-event io_write on 0 more')).toBe(
      lines('trace-event: extraneous characters at the end of line', 'Try "help trace-event" for more information'),
    );
    expect(await run('trace-event io_write on x')).toBe(lines('invalid char in expression', 'Try "help trace-event" for more information'));
  });
});

describe('HMP trace-file', () => {
  it('does not exist without the simple backend', async () => {
    const { run } = hmpOf();
    expect(await run('trace-file')).toBe(lines("unknown command: 'trace-file'"));
    expect(await run('help trace-file')).toBe(lines("unknown command: 'trace-file'"));
  });

  it('prints the status line and opens, closes, flushes and renames the file', async () => {
    const file = new FakeTraceFile();
    const { run } = hmpOf({ traceFile: file });
    expect(await run('trace-file')).toBe(lines('Trace file "trace-4242" off.'));
    expect(await run('trace-file on')).toBe('');
    expect(await run('trace-file')).toBe(lines('Trace file "trace-4242" on.'));
    expect(await run('trace-file set')).toBe('');
    expect(file.name).toBe('trace-4242');
    expect(await run('trace-file set "my trace.bin"')).toBe('');
    expect(await run('trace-file')).toBe(lines('Trace file "my trace.bin" on.'));
    expect(await run('trace-file flush')).toBe('');
    expect(file.flushes).toBe(1);
    expect(await run('trace-file off')).toBe('');
    expect(file.on).toBe(false);
  });

  it('prints unexpected argument and the command\'s help for an unknown operation', async () => {
    const { run } = hmpOf({ traceFile: new FakeTraceFile() });
    const help = await run('help trace-file');
    expect(help).toMatch(/^trace-file on\|off\|flush\|set \[arg\] -- .+\n$/);
    expect(await run('trace-file bogus')).toBe(`unexpected argument "bogus"\n${help}`);
  });

  it('prints the backend\'s error when the file cannot be opened', async () => {
    const file = new FakeTraceFile();
    file.failNext = 'cannot open /nope/trace: ENOENT';
    const { run } = hmpOf({ traceFile: file });
    expect(await run('trace-file on')).toBe(lines('cannot open /nope/trace: ENOENT'));
  });
});

describe('HMP run control', () => {
  it('reports the status as QEMU does: running, paused, or paused with the state', async () => {
    for (const [state, text] of [
      ['running', 'VM status: running'],
      ['paused', 'VM status: paused'],
      ['prelaunch', 'VM status: paused (prelaunch)'],
      ['shutdown', 'VM status: paused (shutdown)'],
    ] as const) {
      const { run } = hmpOf({ state });
      expect(await run('info status')).toBe(lines(text));
    }
  });

  it('stops, continues and quits under every alias', async () => {
    const { target, run } = hmpOf();
    expect(await run('stop')).toBe('');
    expect(target.runState()).toBe('paused');
    expect(await run('c')).toBe('');
    expect(await run('s')).toBe('');
    expect(await run('cont')).toBe('');
    expect(target.changes.map((c) => c.to)).toEqual(['paused', 'running', 'paused', 'running']);
    expect(await run('q')).toBe('');
    expect(target.runState()).toBe('shutdown');
    expect(await run('cont')).toBe(lines('Error: Resetting the Virtual Machine is required'));
  });
});

describe('HMP parsing and help', () => {
  it('ignores empty lines and names unknown commands from the start of the line', async () => {
    const { run } = hmpOf();
    expect(await run('   ')).toBe('');
    expect(await run('frobnicate now')).toBe(lines("unknown command: 'frobnicate'"));
    expect(await run('info nope')).toBe(lines("unknown command: 'info nope'"));
    expect(await run('stop now')).toBe(lines('stop|s: extraneous characters at the end of line', 'Try "help stop" for more information'));
  });

  it('prints one help line per command, and the info subcommands with their prefix', async () => {
    const { run } = hmpOf();
    const all = await run('help');
    expect(all.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['help|?', 'info', 'stop|s', 'cont|c', 'quit|q', 'trace-event']);
    expect(await run('help stop')).toMatch(/^stop\|s {2}-- \S.*\n$/);
    const info = await run('info');
    expect(info).toBe(await run('help info'));
    expect(info.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'info status',
      'info trace-events',
      'info trace-sinks',
      'info trace-sources',
      'info version',
    ]);
    expect(await run('help info trace-events')).toMatch(/^info trace-events \[name\] \[vcpu\] -- \S.*\n$/);
    expect(await run('? info bogus')).toBe(lines("unknown command: 'info bogus'"));
  });

  it('shows the version and the trace sources', async () => {
    const { run } = hmpOf();
    expect(await run('info version')).toBe(lines('10.2.0 (unitrace-0.1.0)'));
    const sources = await run('info trace-sources');
    expect(sources).toContain('host (host): ids 0x0..0x3, 4 events, handshake none\n');
    expect(sources).toContain('fw (guest): ids 0x8000000000000000..0x8000000000000001, 2 events, handshake none\n');
    expect(sources).toContain('lost: guest buffer 0, rejected 0, sequence gaps 0 (0 records)\n');
  });

  it('shows the trace sinks, or says the machine does not report them', async () => {
    expect(await hmpOf().run('info trace-sinks')).toBe(lines('this machine does not report its trace sinks'));
    const { target, run } = hmpOf({
      sinks: [
        { name: 'simple', delivered: 10, lost: 0, failures: 0, own: { records: 10, dropped: 3, bytes: 480, errors: 1 } },
        { name: 'broken', delivered: 5, lost: 5, failures: 2, own: undefined },
      ],
    });
    expect(await run('info trace-sinks')).toBe(
      lines(
        'simple: delivered 10, lost to exceptions 0 (0 failures); its own: records 10, dropped 3, bytes 480, errors 1',
        'broken: delivered 5, lost to exceptions 5 (2 failures); keeps no counters of its own',
      ),
    );
    target.sinks = [];
    expect(await run('info trace-sinks')).toBe(lines('no trace sinks'));
  });
});

describe('HMP completion', () => {
  it('completes command names and aliases', () => {
    const hmp = createHmp(new FakeTarget({ traceFile: new FakeTraceFile() }));
    expect(hmp.complete('tr')).toEqual(['trace-event', 'trace-file']);
    expect(hmp.complete('')).toEqual(['?', 'c', 'cont', 'help', 'info', 'q', 'quit', 's', 'stop', 'trace-event', 'trace-file']);
    expect(hmp.complete('help tr')).toEqual(['trace-event', 'trace-file']);
    expect(hmp.complete('info ')).toEqual(['status', 'trace-events', 'trace-sinks', 'trace-sources', 'version']);
    expect(hmp.complete('trace-file o')).toEqual(['off', 'on']);
  });

  it('completes event names as the glob `<prefix>*`, then on/off', () => {
    const hmp = createHmp(new FakeTarget());
    expect(hmp.complete('trace-event fw_')).toEqual(['fw_boot', 'fw_cfg_read', 'fw_cfg_secret', 'fw_cfg_select', 'fw_step']);
    expect(hmp.complete('trace-event fw_cfg_?e')).toEqual(['fw_cfg_read', 'fw_cfg_secret', 'fw_cfg_select']);
    expect(hmp.complete('trace-event fw_boot ')).toEqual(['off', 'on']);
    expect(hmp.complete('trace-event fw_boot o')).toEqual(['off', 'on']);
    expect(hmp.complete('info trace-events io')).toEqual(['io_write']);
    expect(hmp.complete('stop ')).toEqual([]);
  });
});

describe('HMP completion for a remote machine', () => {
  it('answers as the local completer does, from names fetched over QMP', async () => {
    const target = new FakeTarget({ traceFile: new FakeTraceFile() });
    const local = createHmp(target);
    const names = target.registry.queryState('*').map((e) => e.name);
    const remote = createHmpCompleter({ eventNames: names, traceFile: true });
    for (const line of ['', 'tr', 'trace-event fw_', 'trace-event fw_cfg_?e', 'info trace-events ', 'help info ', 'trace-file ']) {
      expect(remote(line)).toEqual(local.complete(line));
    }
    expect(createHmpCompleter({ eventNames: names })('trace-f')).toEqual([]);
  });
});

describe('HMP through QMP human-monitor-command', () => {
  it('returns the output with the monitor\'s \\r\\n line ends', async () => {
    const fixture = await startFixture('unix');
    try {
      const client = await fixture.connect();
      expect(await client.execute('human-monitor-command', { 'command-line': 'info trace-events fw_cfg_s*' })).toBe(
        'fw_cfg_secret : state 0\r\nfw_cfg_select : state 0\r\n',
      );
      expect(await client.execute('human-monitor-command', { 'command-line': 'trace-event io_write on' })).toBe('');
      expect(fixture.target.registry.queryState('io_write')).toEqual([{ name: 'io_write', state: 'enabled' }]);
      await expect(client.execute('human-monitor-command', { 'command-line': 'info status', 'cpu-index': 1 })).rejects.toThrow(
        "Parameter 'cpu-index' expects a CPU number",
      );
      expect(await client.hmp('info status')).toBe('VM status: running\n');
    } finally {
      await fixture.cleanup();
    }
  });
});
