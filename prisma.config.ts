import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate, and migrate deploy where the native
// engine exists). The app itself migrates with src/data/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgresql://localhost/unused' },
});
