// The demo's generated and shared pieces agree with their sources: the firmware's generated trace functions with its
// catalog, the kernel's boot protocol and hypercall registers with the firmware's and the SDK's, and the demo root
// catalog with the one written for installs where the packages are not side by side.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { catalogFromText, loadCatalog } from '@unitrace/core';
import { HYPERCALL_PC_PORT, HYPERCALL_VIRT_BASE } from '@unitrace/firmware-sdk';
import { assert, describe, expect, it } from 'vitest';
import { type DemoLayout, demoFiles, locateDemoFiles, rootCatalogText } from '../src/demo/demo-files.js';
import { CMDLINE_ADDRESS, FW_CFG_CMDLINE_ADDR, FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_DATA, FW_CFG_KERNEL_ENTRY, FW_CFG_KERNEL_SIZE } from '../src/demo/demo-machine.js';
import { KERNEL_LOAD_ADDRESS, buildKernel } from '../src/demo/kernel-image.js';
import { generateFirmwareTs } from '@unitrace/core/codegen';
import * as L from '../../packages/firmware-sdk/demo/firmware/layout.js';

const REPO = join(import.meta.dirname, '..', '..');
const ORIGIN = 'packages/firmware-sdk/demo/trace-events';
const GENERATED = join(REPO, 'packages', 'firmware-sdk', 'demo', 'firmware', 'trace.ts');

/** What `unitrace gen --target firmware-ts --source firmware` writes for the demo catalog at `root`. */
function firmwareTs(root: string): string {
  const source = loadCatalog(root).sources.find((s) => s.name === 'firmware')!;
  return generateFirmwareTs(source, { origin: ORIGIN });
}

describe('demo firmware trace functions (demo/firmware/trace.ts)', () => {
  it(`are up to date (unitrace gen --target firmware-ts --source firmware -o packages/firmware-sdk/demo/firmware/trace.ts ${ORIGIN})`, () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(firmwareTs(join(REPO, ORIGIN)));
  });

  it('would be reported stale when the firmware catalog changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-demo-gen-'));
    try {
      const files = demoFiles();
      writeFileSync(join(dir, 'firmware'), `${readFileSync(files.firmwareCatalog, 'latin1')}fw_extra(int x) "x %d"\n`);
      writeFileSync(join(dir, 'trace-events'), rootCatalogText(files.hostCatalog, join(dir, 'firmware'), files.kernelCatalog));
      expect(firmwareTs(join(dir, 'trace-events'))).not.toBe(readFileSync(GENERATED, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo catalog', () => {
  it('is the shipped root in this checkout: the emulator as host, then firmware and kernel', () => {
    const files = demoFiles();
    expect(files.catalog).toBe(join(REPO, 'packages', 'firmware-sdk', 'demo', 'trace-events'));
    const catalog = loadCatalog(files.catalog);
    expect(catalog.sources.map((s) => [s.name, s.kind, s.base])).toEqual([
      ['host', 'host', 0n],
      ['firmware', 'guest', 0x8000_0000_0000_0000n],
      ['kernel', 'guest', 0x8000_0001_0000_0000n],
    ]);
    expect(catalog.files).toEqual([files.catalog, files.hostCatalog, files.firmwareCatalog, files.kernelCatalog]);
  });

  it('written with absolute includes (packages not side by side) has the same sources and hashes', () => {
    const files = demoFiles();
    const shipped = loadCatalog(files.catalog);
    const written = catalogFromText(rootCatalogText(files.hostCatalog, files.firmwareCatalog, files.kernelCatalog), '/nowhere/trace-events');
    expect(written.sources.map((s) => [s.name, s.base, s.hash])).toEqual(shipped.sources.map((s) => [s.name, s.base, s.hash]));
    expect(() => rootCatalogText('/a"b', '/f', '/k')).toThrow(/contains a quote or newline/);
  });
});

describe('the boot protocol', () => {
  const files = demoFiles();
  const kernel = buildKernel(files.kernelSource, loadCatalog(files.catalog).sources.find((s) => s.name === 'kernel')!);
  const sym = (name: string): number | undefined => kernel.symbols.get(name);

  it('kernel and firmware agree on the boot information block', () => {
    expect(sym('BOOT_INFO')).toBe(L.BOOT_INFO);
    expect(sym('BOOT_INFO_MAGIC')).toBe(L.BOOT_INFO_MAGIC);
    expect(sym('BI_MAGIC')).toBe(L.BI_MAGIC);
    expect(sym('BI_CMDLINE_ADDR')).toBe(L.BI_CMDLINE_ADDR);
    expect(sym('BI_CMDLINE_LEN')).toBe(L.BI_CMDLINE_LEN);
  });

  it('the kernel rings the hypercall registers where the SDK and the emulator put them', () => {
    expect(sym('HC_PORT')).toBe(HYPERCALL_PC_PORT);
    expect(sym('HC_MMIO')).toBe(HYPERCALL_VIRT_BASE);
  });

  it('the machine fills the fw_cfg keys the firmware reads, and the kernel fits where it is loaded', () => {
    expect([FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_ENTRY, FW_CFG_KERNEL_DATA, FW_CFG_CMDLINE_ADDR]).toEqual([
      L.KEY_KERNEL_ADDR,
      L.KEY_KERNEL_SIZE,
      L.KEY_KERNEL_ENTRY,
      L.KEY_KERNEL_DATA,
      L.KEY_CMDLINE_ADDR,
    ]);
    expect(kernel.origin).toBe(KERNEL_LOAD_ADDRESS);
    // Nothing the firmware writes overlaps: boot info, its scratch, the command line, the trace region, the kernel, the RAM test.
    const regions = [
      [L.BOOT_INFO, 16],
      [L.FW_DMA_DESCRIPTOR, 16],
      [L.FW_SCRATCH, L.FW_SCRATCH_BYTES],
      [CMDLINE_ADDRESS, 4096],
      [L.TRACE_REGION, L.TRACE_REGION_BYTES],
      [KERNEL_LOAD_ADDRESS, kernel.bytes.length],
      [L.MEMTEST_BASE, L.MEMTEST_BYTES],
    ].sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < regions.length; i++) expect(regions[i - 1]![0]! + regions[i - 1]![1]!).toBeLessThanOrEqual(regions[i]![0]!);
  });
});

describe('the demo files in other install layouts', () => {
  const copy = (from: string, to: string): void => {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  };
  /** A firmware-sdk and an emulator package under `root` at the given relative places, with what the demo needs. */
  function install(root: string, sdkAt: string, emulatorAt: string): { sdk: string; emulator: string } {
    const files = demoFiles();
    const sdk = join(root, sdkAt);
    const emulator = join(root, emulatorAt);
    copy(files.catalog, join(sdk, 'demo', 'trace-events'));
    copy(files.firmwareCatalog, join(sdk, 'demo', 'firmware', 'trace-events'));
    copy(files.kernelCatalog, join(sdk, 'demo', 'kernel', 'trace-events'));
    copy(files.kernelSource, join(sdk, 'demo', 'kernel', 'kernel.s'));
    mkdirSync(join(sdk, 'dist'), { recursive: true });
    writeFileSync(join(sdk, 'dist', 'demo-firmware.js'), 'export default () => {};\n');
    copy(files.hostCatalog, join(emulator, 'src', 'trace-events'));
    return { sdk, emulator };
  }
  const layout = (sdk: string, emulator: string, cacheDirs: string[]): DemoLayout => ({
    packageDir: (name) => ({ '@unitrace/firmware-sdk': sdk, '@unitrace/emulator': emulator })[name] ?? assert.fail(`not installed: ${name}`),
    fromSource: false,
    cacheDirs,
  });

  it('side by side (a hoisted npm install): the shipped root, the built firmware', () => {
    const root = mkdtempSync(join(tmpdir(), 'unitrace-layout-'));
    try {
      const { sdk, emulator } = install(root, 'node_modules/@unitrace/firmware-sdk', 'node_modules/@unitrace/emulator');
      const files = locateDemoFiles(layout(sdk, emulator, []));
      expect(files.catalog).toBe(join(sdk, 'demo', 'trace-events'));
      expect(files.firmware).toBe(join(sdk, 'dist', 'demo-firmware.js'));
      expect(loadCatalog(files.catalog).sources.map((s) => s.hash)).toEqual(loadCatalog(demoFiles().catalog).sources.map((s) => s.hash));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('apart (a nested install): a root with absolute includes, written once to the first writable cache directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'unitrace-layout-'));
    try {
      const { sdk, emulator } = install(root, 'a/node_modules/@unitrace/firmware-sdk', 'b/node_modules/@unitrace/emulator');
      writeFileSync(join(root, 'not-a-dir'), '');
      const cacheDirs = [join(root, 'not-a-dir'), join(root, 'cache')];
      const files = locateDemoFiles(layout(sdk, emulator, cacheDirs));
      expect(files.catalog).toMatch(new RegExp(`^${join(root, 'cache', 'unitrace', 'demo-')}[0-9a-f]{16}/trace-events$`));
      expect(statSync(files.catalog).mode & 0o777).toBe(0o600);
      expect(loadCatalog(files.catalog).sources.map((s) => s.hash)).toEqual(loadCatalog(demoFiles().catalog).sources.map((s) => s.hash));
      expect(locateDemoFiles(layout(sdk, emulator, cacheDirs)).catalog).toBe(files.catalog);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a missing package or file is a one-line usage error naming it', () => {
    const root = mkdtempSync(join(tmpdir(), 'unitrace-layout-'));
    try {
      const { sdk, emulator } = install(root, 'sdk', 'emulator');
      rmSync(join(sdk, 'demo', 'kernel', 'kernel.s'));
      expect(() => locateDemoFiles(layout(sdk, emulator, []))).toThrow(/the demo machine's kernel source is missing: .*kernel\.s/);
      expect(() => locateDemoFiles(layout(sdk, join(root, 'none'), []))).toThrow(/emulator catalog is missing/);
      expect(() => locateDemoFiles({ ...layout(sdk, emulator, []), packageDir: () => assert.fail('no') })).toThrow(/needs the package @unitrace\/firmware-sdk/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
