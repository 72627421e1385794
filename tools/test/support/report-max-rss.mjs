// Preloaded into a child (NODE_OPTIONS=--import) by the memory test: writes the process's peak RSS in KiB to the
// file named by UNITRACE_MAX_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.UNITRACE_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
