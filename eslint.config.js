import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The Teams SDK (botbuilder, teams-ai v1) is archived/superseded upstream, so it
// stays at the edge; the domain stays pure so it can be tested without I/O.
const sdkImports = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'];
const ioImports = ['@prisma/*', '**/generated/prisma/**', 'pg', 'pg-boss', '@electric-sql/*', 'pglite-prisma-adapter', 'express', 'node:http', 'node:https', 'http', 'https', 'undici', 'axios', 'node:net', 'node:fs', 'fs'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'src/generated/**', 'dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: [...sdkImports, ...ioImports], message: 'src/domain is pure: no Teams SDK, Prisma, database or HTTP imports.' }],
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/app.ts', 'src/routes/**', 'src/delivery/teams-*.ts', 'src/server.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: sdkImports, message: 'Only src/app.ts, src/server.ts, src/routes/ and src/delivery/teams-* may import the Teams SDK.' }],
      }],
    },
  },
);
