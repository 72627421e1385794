// One-off scaffolding helper kept for adding packages later: writes the standard files of a workspace package.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, description, entriesArg = 'index', tags = ''] = process.argv.slice(2);
if (!dir || !name || !description) {
  console.error('usage: node scripts/new-package.mjs DIR NAME DESCRIPTION [entry,entry] [tag,tag]');
  process.exit(2);
}
const entries = entriesArg.split(',');
const write = (file, text) => {
  const path = join(dir, file);
  if (existsSync(path)) return;
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};
const exportsMap = {};
for (const e of entries) {
  const key = e === 'index' ? '.' : `./${e.replace(/\/index$/, '')}`;
  exportsMap[key] = { '@unitrace/source': `./src/${e}.ts`, types: `./dist/${e}.d.ts`, import: `./dist/${e}.js` };
}
exportsMap['./package.json'] = './package.json';
write('package.json', JSON.stringify({
  name, version: '0.1.0', description, type: 'module', license: 'MIT',
  exports: exportsMap, main: './dist/index.js', types: './dist/index.d.ts',
  files: ['dist', 'README.md', 'LICENSE'],
  engines: { node: '>=20.19' },
  scripts: { build: 'tsup', test: 'vitest run', typecheck: 'tsc --noEmit -p tsconfig.json' },
  nx: { tags: tags ? tags.split(',') : [] },
}, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json'.replace('../../', dir.split('/').length === 1 ? '../' : '../../'), compilerOptions: { outDir: 'dist', rootDir: '.' }, include: ['src', 'test'] }, null, 2) + '\n');
write('tsup.config.ts', `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [${entries.map((e) => `'src/${e}.ts'`).join(', ')}],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
`);
write('vitest.config.ts', `import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@unitrace/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@unitrace/source', ...defaultServerConditions] } },
  test: { name: '${name}', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], environment: 'node' },
});
`);
write('LICENSE', `MIT License\n\nCopyright (c) 2026 The Unitrace authors\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n`);
write('README.md', `# ${name}\n\n${description}\n`);
for (const e of entries) write(`src/${e}.ts`, `// Public face of ${name}${e === 'index' ? '' : ` (${e})`}.\nexport {};\n`);
