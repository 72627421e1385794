// Preloaded into a CLI child (node --import) by figure 7: writes the process's VmHWM (peak resident set, KiB) to
// the file named by BENCH_PEAK_RSS_FILE when it exits. Plain JS so that it loads without tsx.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'));
    writeFileSync(file, m ? m[1] : String(process.resourceUsage().maxRSS));
  });
}
