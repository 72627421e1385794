// Checks DESIGN.md's package arrows on the Nx project graph (tags and the dependencies Nx finds in code and
// package.json), so that a forbidden import or dependency fails `npm run lint` even where ESLint cannot see it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tag → the tags its projects may depend on. Nothing may depend on type:tool. */
const allowed = {
  'type:core': [],
  'type:backend': ['type:core'],
  'type:emulator': ['type:core'],
  'type:guest': ['type:core'],
  'type:tool': ['type:core', 'type:backend', 'type:emulator', 'type:guest'],
  'type:bench': ['type:core', 'type:backend', 'type:emulator', 'type:guest', 'type:tool'],
};

const dir = mkdtempSync(join(tmpdir(), 'unitrace-graph-'));
const file = join(dir, 'graph.json');
try {
  execFileSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'graph', `--file=${file}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  const { graph } = JSON.parse(readFileSync(file, 'utf8'));
  const tagOf = (name) => (graph.nodes[name]?.data?.tags ?? []).find((t) => t.startsWith('type:'));
  const problems = [];
  for (const [name, node] of Object.entries(graph.nodes)) {
    const tag = tagOf(name);
    if (!tag) {
      problems.push(`${node.data.root}: project ${name} has no type:* tag`);
      continue;
    }
    for (const dep of graph.dependencies[name] ?? []) {
      if (!graph.nodes[dep.target]) continue; // an npm package, not a workspace project
      const depTag = tagOf(dep.target);
      if (!allowed[tag]?.includes(depTag)) {
        problems.push(`${node.data.root}: ${name} (${tag}) may not depend on ${dep.target} (${depTag}) [${dep.type}]`);
      }
    }
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`error: ${p}`);
    process.exit(1);
  }
  console.log(`module boundaries: ${Object.keys(graph.nodes).length} projects checked, arrows respected`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
