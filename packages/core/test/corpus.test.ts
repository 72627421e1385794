// The whole QEMU corpus through the parser, checked against the figures of spec/qemu-tracing.md §8.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogUnchecked } from '../src/catalog/load-catalog.js';
import type { Diagnostic, EventDecl } from '../src/events/decl.js';
import { expandFormat } from '../src/events/expand-format.js';
import { parseTraceEvents } from '../src/events/parse-trace-events.js';

const ROOT = fileURLToPath(new URL('./fixtures/qemu-trace-events/', import.meta.url));
const paths = (readdirSync(ROOT, { recursive: true }) as string[]).filter((f) => f.endsWith('trace-events')).sort();
const texts = new Map(paths.map((p) => [p, readFileSync(resolve(ROOT, p), 'latin1')]));
const parsed = new Map(paths.map((p) => [p, parseTraceEvents(texts.get(p)!, p)]));
const events: EventDecl[] = [...parsed.values()].flatMap((r) => [...r.events]);
const diagnostics: Diagnostic[] = [...parsed.values()].flatMap((r) => [...r.diagnostics]);
const byName = new Map(events.map((e) => [e.name, e]));

/** The event named `name` (the first, for names declared in two files). */
function ev(name: string): EventDecl {
  const e = byName.get(name);
  if (!e) throw new Error(`no event ${name}`);
  return e;
}

// The spec's figures (§8.4, §8.5) count templates with tracetool's PRI expansion.
function tpl(e: EventDecl): string {
  const r = expandFormat(e.format, 'tracetool');
  if (!r.ok) throw new Error(`${e.name}: ${r.message}`);
  return r.template;
}

function histogram<T>(items: Iterable<T>): Map<T, number> {
  const h = new Map<T, number>();
  for (const i of items) h.set(i, (h.get(i) ?? 0) + 1);
  return h;
}

const sorted = <K>(h: Map<K, number>): [K, number][] => [...h].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
const group = (p: string): string => dirname(p);
const lineOf = (e: EventDecl): string => texts.get(e.location.file)!.split('\n')[e.location.line! - 1]!;

describe('corpus §8.1: totals', () => {
  it('has 100 files with 7,146 lines: 782 comments, 697 blank', () => {
    expect(paths).toHaveLength(100);
    const all = [...texts.values()].flatMap((t) => t.split('\n').slice(0, -1));
    expect(all).toHaveLength(7146);
    expect(all.filter((l) => /^\s*#/.test(l))).toHaveLength(782);
    expect(all.filter((l) => l.trim() === '')).toHaveLength(697);
  });

  it('parses with no diagnostic at all (no error, no warning)', () => {
    expect(diagnostics).toEqual([]);
  });

  it('declares 5,667 events, 5,665 without the tests/tracetool fixture', () => {
    expect(events).toHaveLength(5667);
    expect(events.filter((e) => !e.location.file.startsWith('tests/tracetool/'))).toHaveLength(5665);
  });

  it('has the largest files of the table, and accel/nitro and hw/alpha with 1 event each', () => {
    const perFile = new Map(paths.map((p) => [group(p), parsed.get(p)!.events.length]));
    expect(sorted(perFile).slice(0, 10)).toEqual([
      ['hw/net', 446],
      ['hw/scsi', 365],
      ['migration', 349],
      ['hw/usb', 337],
      ['hw/misc', 300],
      ['hw/intc', 271],
      ['hw/nvme', 214],
      ['hw/display', 185],
      ['hw/vfio', 168],
      ['block', 159],
    ]);
    expect([...perFile].filter(([, n]) => n === 1).map(([g]) => g).sort()).toEqual(['accel/nitro', 'hw/alpha']);
    expect(Math.min(...perFile.values())).toBe(1);
  });

  it('has the arguments-per-event distribution, 12,491 argument slots, and ten 10-argument events', () => {
    expect(Object.fromEntries(histogram(events.map((e) => e.args.length)))).toEqual({
      0: 632, 1: 1507, 2: 1516, 3: 1021, 4: 493, 5: 244, 6: 158, 7: 49, 8: 27, 9: 10, 10: 10,
    });
    expect(events.reduce((n, e) => n + e.args.length, 0)).toBe(12491);
    expect(events.filter((e) => e.args.length === 10).map((e) => e.name).sort()).toEqual(
      ['oss_out_params', 'oss_in_params', 'qcow2_add_task', 'v9fs_setattr', 'vga_cirrus_bitblt_start', 'xlnx_can_tx_data',
        'xlnx_can_rx_data', 'e1000e_rx_rss_ip6', 'usb_ohci_iso_td_head', 'hppa_tlb_itlbp'].sort(),
    );
  });

  it('has the string-arguments distribution and its extremes', () => {
    const strings = (e: EventDecl) => e.args.filter((a) => a.type.kind === 'string').length;
    expect(Object.fromEntries(histogram(events.map(strings)))).toEqual({ 0: 4451, 1: 1024, 2: 150, 3: 26, 4: 12, 6: 2, 8: 1, 9: 1 });
    expect(events.filter((e) => strings(e) === 9).map((e) => e.name)).toEqual(['pcie_cap_slot_write_config']);
    expect(events.filter((e) => strings(e) >= 6).map((e) => e.name).sort()).toEqual(
      ['pcie_cap_slot_write_config', 'shpc_slot_command', 'qio_channel_websock_http_request', 'qemu_rdma_dump_id'].sort(),
    );
  });

  it('uses only the disable property, 15 times: qxl_io_write_vga and 14 hppa_tlb_*', () => {
    const disabled = events.filter((e) => e.disabled);
    expect(disabled).toHaveLength(15);
    expect(events.flatMap((e) => e.properties)).toEqual(Array(15).fill('disable'));
    expect(disabled.filter((e) => e.name.startsWith('hppa_tlb_'))).toHaveLength(14);
    expect(disabled.filter((e) => !e.name.startsWith('hppa_tlb_')).map((e) => e.name)).toEqual(['qxl_io_write_vga']);
  });
});

describe('corpus §8.2: argument types', () => {
  const raw = histogram(events.flatMap((e) => e.args.map((a) => a.type.text)));

  it('has the 45 raw types with their counts', () => {
    expect(Object.fromEntries(raw)).toEqual({
      uint32_t: 2607, int: 2435, uint64_t: 2307, 'const char *': 1367, 'void *': 1076, uint8_t: 807, uint16_t: 408,
      unsigned: 377, bool: 217, 'unsigned int': 186, size_t: 170, int64_t: 134, int32_t: 82, 'unsigned long': 71,
      'char *': 64, 'const char*': 36, char: 28, 'const void *': 17, uintptr_t: 14, 'char*': 12, 'const char': 11,
      ssize_t: 9, long: 7, 'void*': 7, int8_t: 5, 'unsigned char': 5, 'unsigned short': 3, 'uint64_t *': 3,
      'const int': 3, 'const uint8_t': 2, 'const void*': 2, 'const uint8_t *': 2, 'uint8_t *': 2, 'long unsigned int': 2,
      'bool *': 2, 'int64_t *': 2, int16_t: 1, 'unsigned long long': 1, 'int *': 1, 'uint16_t *': 1, 'uint32_t *': 1,
      'int8_t *': 1, 'int16_t *': 1, 'int32_t *': 1, 'char **': 1,
    });
    expect(raw.size).toBe(45);
  });

  it('has 41 types after normalising the spacing around *, with the merged counts', () => {
    const norm = histogram(events.flatMap((e) => e.args.map((a) => a.type.normalized)));
    expect(norm.size).toBe(41);
    expect([norm.get('const char *'), norm.get('void *'), norm.get('char *'), norm.get('const void *')]).toEqual([1403, 1083, 76, 19]);
    for (const unused of ['short', 'signed', 'ptrdiff_t']) expect(norm.has(unused)).toBe(false);
  });

  it('classifies 1,403 + 76 char * arguments as strings, and char **, const char, char as not', () => {
    const kinds = histogram(events.flatMap((e) => e.args.filter((a) => a.type.kind === 'string').map((a) => a.type.normalized)));
    expect(Object.fromEntries(kinds)).toEqual({ 'const char *': 1403, 'char *': 76 });
    const kindOf = (t: string) => new Set(events.flatMap((e) => e.args.filter((a) => a.type.text === t).map((a) => a.type.kind)));
    expect(kindOf('char **')).toEqual(new Set(['pointer']));
    expect(kindOf('const char')).toEqual(new Set(['int']));
    expect(kindOf('char')).toEqual(new Set(['int']));
  });
});

describe('corpus §8.3–8.4: formats', () => {
  it('has 16 distinct PRI macros outside the quotes, 3,521 uses, with the spec’s counts', () => {
    const macros = histogram(events.flatMap((e) => e.format.replace(/"(?:[^"\\]|\\.)*"/g, ' ').match(/PRI\w+/g) ?? []));
    expect(Object.fromEntries(macros)).toEqual({
      PRIx64: 1963, PRIx32: 440, PRIu64: 304, PRIu32: 204, PRIx8: 142, PRId64: 137, PRIu16: 97, PRIx16: 85,
      PRIu8: 51, PRId32: 31, PRIi64: 21, PRIX32: 15, PRIxPTR: 14, PRIi32: 10, PRId8: 4, PRIX16: 3,
    });
    expect([...macros.values()].reduce((a, b) => a + b, 0)).toBe(3521);
  });

  it('tokenises all 5,652 formats, and 15 events have none', () => {
    const withFormat = events.filter((e) => e.format !== '');
    expect(withFormat).toHaveLength(5652);
    for (const e of withFormat) expect(expandFormat(e.format).ok, e.name).toBe(true);
  });

  it('gives the 64 conversion specs of §8.4 with their counts once PRI macros are expanded', () => {
    const specs = histogram(events.flatMap((e) => tpl(e).match(/%[-#0 +]*(?:\*|\d+)?(?:\.\d+)?(?:hh|h|ll|l|z|t|j)?[diouxXcsp%]/g) ?? []));
    const expected =
      '%d 3130, %llx 1739, %s 1475, %x 1430, %u 1144, %p 1120, %02x 431, %llu 303, %08x 294, %lld 137, %04x 126, %zu 116, ' +
      '%hhx 114, %hu 95, %lx 69, %08llx 67, %hx 60, %016llx 58, %hhu 51, %04llx 48, %c 40, %.8x 38, %X 35, %zd 34, ' +
      '%02llx 34, %2.2x 32, %02hhx 28, %zx 27, %04hx 22, %lli 21, %i 19, %04X 18, %03x 17, %lu 15, %tx 14, %ld 11, ' +
      '%03llx 8, %02d 8, %8.8x 6, %% 5, %010llx 4, %02u 4, %hhd 4, %3d 4, %0*llx 3, %06x 3, %02hx 3, %05x 3, %04hX 3, ' +
      '%20s 3, %06llx 2, %03llu 2, %4hu 2, %4d 2, %2d 2, %.2x 2, %08zx 1, %o 1, %04zx 1, %01x 1, %2u 1, %1x 1, %23s 1, %08lx 1';
    const table = Object.fromEntries(expected.split(', ').map((p) => [p.split(' ')[0], Number(p.split(' ')[1])]));
    expect(Object.keys(table)).toHaveLength(64);
    expect(Object.fromEntries(specs)).toEqual(table);
  });
});

describe('corpus §8.5: the traps a naive parser gets wrong', () => {
  it('1. escaped quotes: 19 events, 40 occurrences; bdrv_open_common', () => {
    expect(events.filter((e) => e.format.includes('\\"'))).toHaveLength(19);
    expect(events.reduce((n, e) => n + (e.format.match(/\\"/g)?.length ?? 0), 0)).toBe(40);
    const e = ev('bdrv_open_common');
    expect(e.location).toMatchObject({ file: 'block/trace-events', line: 4 });
    expect(tpl(e)).toBe('bs %p filename "%s" flags 0x%x format_name "%s"');
    expect(e.args.map((a) => a.name)).toEqual(['bs', 'filename', 'flags', 'format_name']);
  });

  it('2. literal concatenation with PRI macros: 4,097 single-literal formats, 1,555 with 2–9', () => {
    const segments = events.filter((e) => e.format !== '').map((e) => e.format.match(/"(?:[^"\\]|\\.)*"/g)!.length);
    expect(segments.filter((n) => n === 1)).toHaveLength(4097);
    expect(segments.filter((n) => n >= 2 && n <= 9)).toHaveLength(1555);
    expect(tpl(ev('vfio_known_safe_misalignment'))).toBe(
      'Region "%s" iova=0x%llx offset_within_region=0x%llx qemu_real_host_page_size=0x%tx',
    );
  });

  it('3. a trailing empty literal after a macro: 216 events', () => {
    expect(events.filter((e) => /PRI\w+\s*""$/.test(e.format))).toHaveLength(216);
    expect(tpl(ev('gdbstub_hit_watchpoint'))).toBe('Watchpoint hit, type="%s" cpu=%d, vaddr=0x%llx');
    expect(tpl(ev('load_atom8_or_exit_fallback'))).toBe('ra:0x%tx');
  });

  it('4. the format "" alone: 237 events, e.g. kvm_cpu_exec', () => {
    expect(events.filter((e) => e.format === '""')).toHaveLength(237);
    const e = ev('kvm_cpu_exec');
    expect([e.location.file, e.location.line, e.args, e.format, tpl(e)]).toEqual(['accel/kvm/trace-events', 35, [], '""', '']);
  });

  it('5. no format at all: 15 events, e.g. dbus_vmstate_pre_save', () => {
    expect(events.filter((e) => e.format === '')).toHaveLength(15);
    expect(ev('dbus_vmstate_pre_save')).toMatchObject({ format: '', args: [], location: { file: 'backends/trace-events', line: 4 } });
  });

  it('6. (void) lists: 632 events with no arguments', () => {
    expect(events.filter((e) => e.args.length === 0)).toHaveLength(632);
    expect(events.filter((e) => /^\s*(?:disable\s+)?\w+\(\s*void\s*\)/.test(lineOf(e)))).toHaveLength(632);
  });

  it('7. %% literal percent: 4 events; cpu_throttle_set has two spaces before its format', () => {
    expect(events.filter((e) => tpl(e).includes('%%')).map((e) => e.name).sort()).toEqual(
      ['led_set_intensity', 'led_change_intensity', 'migration_block_progression', 'cpu_throttle_set'].sort(),
    );
    const e = ev('cpu_throttle_set');
    expect(e.location).toMatchObject({ file: 'migration/trace-events', line: 400 });
    expect(e.format).toBe('"set guest CPU throttled by %d%%"');
    expect(ev('led_set_intensity').location).toMatchObject({ file: 'hw/misc/trace-events', line: 361 });
  });

  it('8. # inside the format is not a comment: 58 events, e.g. kvm_set_user_memory', () => {
    expect(events.filter((e) => e.format.includes('#'))).toHaveLength(58);
    const e = ev('kvm_set_user_memory');
    expect(e.location).toMatchObject({ file: 'accel/kvm/trace-events', line: 24 });
    expect(tpl(e).startsWith('AddrSpace#%d Slot#%d flags=0x%x gpa=0x%llx size=0x%llx')).toBe(true);
    expect(e.args).toHaveLength(9);
  });

  it('9. parentheses inside the format: 437 events; the argument list ends at the first )', () => {
    expect(events.filter((e) => /[()]/.test(e.format))).toHaveLength(437);
    const e = ev('qemu_mutex_lock');
    expect(e.location).toMatchObject({ file: 'util/trace-events', line: 84 });
    expect(e.args.map((a) => `${a.type.text}|${a.name}`)).toEqual(['void *|mutex', 'const char *|file', 'const int|line']);
    expect(tpl(e)).toBe('waiting on mutex %p (%s:%d)');
  });

  it('10. C escapes: 8 formats start with \\t; no \\n, \\\\ or \\x anywhere', () => {
    const tabbed = events.filter((e) => tpl(e).startsWith('\t'));
    expect(tabbed).toHaveLength(8);
    expect(tabbed.every((e) => e.location.file === 'accel/mshv/trace-events' || e.location.file === 'hw/vfio/trace-events')).toBe(true);
    expect(tpl(ev('mshv_mem_write'))).toBe('\tgpa=0x%llx size=%zu');
    expect(events.filter((e) => /\\[n\\x]/.test(e.format))).toEqual([]);
  });

  it('11. star width: pflash_sector_erase_start and empty_slot_write', () => {
    const e = ev('pflash_sector_erase_start');
    expect(e.location).toMatchObject({ file: 'hw/block/trace-events', line: 30 });
    expect(tpl(e)).toBe('%s: start sector erase at: 0x%0*llx-0x%0*llx');
    expect(e.args.map((a) => a.type.text)).toEqual(['const char *', 'int', 'uint64_t', 'int', 'uint64_t']);
    expect(tpl(ev('empty_slot_write'))).toBe('wr addr:0x%04llx data:0x%0*llx size %u [%s]');
  });

  it('12. odd but legal types resolve as C would', () => {
    const arg = (event: string, name: string) => ev(event).args.find((a) => a.name === name)!.type;
    expect(arg('hvf_vm_map', 'r')).toMatchObject({ text: 'const char', kind: 'int', bits: 8, signed: true });
    expect(arg('qemu_mutex_lock', 'line')).toMatchObject({ kind: 'int', bits: 32, signed: true });
    expect(arg('cuda_packet_receive_data', 'data')).toMatchObject({ text: 'const uint8_t', bits: 8, signed: false });
    expect(arg('xen_map_ioreq_server_shared_page', 'ioreq_pfn')).toMatchObject({ text: 'long unsigned int', bits: 64, signed: false });
    expect(arg('vhost_vdpa_set_log_base', 'size')).toMatchObject({ text: 'unsigned long long', bits: 64, signed: false });
    expect(arg('visit_type_str', 'obj')).toMatchObject({ text: 'char **', kind: 'pointer' });
    expect(ev('visit_type_str').location).toMatchObject({ file: 'qapi/trace-events', line: 35 });
    expect(ev('hvf_vm_map').location).toMatchObject({ file: 'accel/hvf/trace-events', line: 6 });
  });

  it('13. disable: qxl_io_write_vga at hw/display:63 and the hppa_tlb_* events', () => {
    expect(ev('qxl_io_write_vga')).toMatchObject({ disabled: true, properties: ['disable'], location: { file: 'hw/display/trace-events', line: 63, column: 9 } });
    expect(ev('hppa_tlb_flush_ent')).toMatchObject({ disabled: true, location: { file: 'target/hppa/trace-events', line: 4 } });
    expect(tpl(ev('hppa_tlb_flush_ent'))).toContain('va_b=0x%lx');
  });

  it('14. upper-case letters in 20 names, kept case-sensitive', () => {
    expect(events.filter((e) => /[A-Z]/.test(e.name))).toHaveLength(20);
    for (const n of ['scsi_disk_emulate_command_SAI_16', 'pnv_spi_read_RDR', 'file_FindEjectableOpticalMedia']) expect(byName.has(n), n).toBe(true);
  });

  it('15. argument names that are SystemTap/DTrace words parse as plain names', () => {
    const names = histogram(events.flatMap((e) => e.args.map((a) => a.name)));
    expect(['limit', 'function', 'next', 'self', 'global', 'in'].map((n) => names.get(n))).toEqual([11, 8, 8, 5, 2, 1]);
    expect(names.get('counter')).toBeGreaterThan(0);
    expect(names.get('xlate')).toBeGreaterThan(0);
  });

  it('16. the longest line: 388 characters, e1000e_rx_rss_ip6, 10 arguments, a 184-character format', () => {
    const longest = Math.max(...[...texts.values()].flatMap((t) => t.split('\n').map((l) => l.length)));
    expect(longest).toBe(388);
    const e = ev('e1000e_rx_rss_ip6');
    expect(e.location).toMatchObject({ file: 'hw/net/trace-events', line: 176 });
    expect(lineOf(e)).toHaveLength(388);
    expect(e.format).toHaveLength(184);
    expect(e.args.filter((a) => a.type.isBool)).toHaveLength(8);
  });

  it('17. 10 names are declared in two files; one catalog of linux-user and bsd-user refuses them', () => {
    const files = new Map<string, Set<string>>();
    for (const e of events) files.set(e.name, (files.get(e.name) ?? new Set()).add(e.location.file));
    const dups = [...files].filter(([, f]) => f.size > 1).map(([n]) => n);
    expect(dups).toHaveLength(10);
    expect(dups.filter((n) => n.startsWith('user_'))).toHaveLength(8);
    expect(dups.filter((n) => !n.startsWith('user_')).sort()).toEqual(['aspeed_i3c_read', 'aspeed_i3c_write']);
    const rootFile = resolve(ROOT, 'linux-and-bsd');
    const both = loadCatalogUnchecked(rootFile, {
      readFile: (abs) => (abs === rootFile ? 'include "linux-user/trace-events"\ninclude "bsd-user/trace-events"\n' : readFileSync(abs, 'latin1')),
    });
    expect(both.diagnostics.map((d) => [d.code, d.location.file])).toEqual(Array(8).fill(['E_DUPLICATE', resolve(ROOT, 'bsd-user/trace-events')]));
    expect(both.diagnostics.every((d) => d.includeChain?.[0]?.file === rootFile)).toBe(true);
  });

  it('18. whitespace: 15 events with two or more spaces before the format; 127 formats open and 13 close with a space', () => {
    const gap = (e: EventDecl) => {
      const l = lineOf(e);
      const close = l.indexOf(')');
      return l.indexOf('"', close) - close - 1;
    };
    const formatted = events.filter((e) => e.format !== '');
    expect(formatted.filter((e) => gap(e) >= 2)).toHaveLength(15);
    expect(events.filter((e) => e.format.startsWith('" '))).toHaveLength(127);
    expect(events.filter((e) => e.format.endsWith(' "'))).toHaveLength(13);
    // §8.5 counts 250 lines holding `)"` anywhere; only 4 of them glue the format to the argument list itself.
    expect([...texts.values()].flatMap((t) => t.split('\n')).filter((l) => !l.startsWith('#') && l.includes(')"'))).toHaveLength(250);
    expect(formatted.filter((e) => gap(e) === 0)).toHaveLength(4);
    expect([...texts.values()].some((t) => /[\t\r\x80-\xff]/.test(t))).toBe(false);
    expect([...texts.values()].every((t) => t.endsWith('\n'))).toBe(true);
  });

  it('19. comments: 83 syntax headers and 7 SPDX lines, all skipped', () => {
    const comments = [...texts.values()].flatMap((t) => t.split('\n')).filter((l) => l.startsWith('#'));
    expect(comments.filter((l) => l.startsWith('# See docs/devel/tracing.'))).toHaveLength(83);
    expect(comments.filter((l) => l === '# SPDX-License-Identifier: GPL-2.0-or-later')).toHaveLength(7);
  });

  it('20. other conversions: %o in ssh_connect_to_ssh, %20s/%23s in the sdcard_* events', () => {
    expect(tpl(ev('ssh_connect_to_ssh'))).toBe('opening file %s flags=0x%x creat_mode=0%o');
    expect(ev('ssh_connect_to_ssh').args[0]!.type.kind).toBe('string');
    expect(tpl(ev('sdcard_normal_command'))).toBe('%s %20s/ CMD%02d arg 0x%08x (mode %s, state %s)');
    expect(tpl(ev('sdcard_app_command'))).toContain('%23s/ACMD%02d');
  });
});
