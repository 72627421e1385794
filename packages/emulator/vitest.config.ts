import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@unitrace/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@unitrace/source', ...defaultServerConditions] } },
  test: { name: '@unitrace/emulator', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], environment: 'node' },
});
