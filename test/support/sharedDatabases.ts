// One database for two app instances, on each driver the run has: PGlite always, PostgreSQL when
// DATABASE_URL is set. On PostgreSQL each instance gets its own store (its own pool), as two
// processes would; PGlite is one process's embedded database, so there both share one store object.
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { createTestDatabase } from './postgres';

export interface SharedDatabase {
  driver: 'pglite' | 'postgres';
  /** One store per instance, and how to throw the database away afterwards. */
  open(): Promise<{ stores: [Store, Store]; discard(): Promise<void> }>;
}

const pglite: SharedDatabase = {
  driver: 'pglite',
  async open() {
    const store = await openStore();
    return { stores: [store, store], discard: () => store.close() };
  },
};

const postgres: SharedDatabase = {
  driver: 'postgres',
  async open() {
    const db = await createTestDatabase();
    const stores: [Store, Store] = [await openStore({ databaseUrl: db.url }), await openStore({ databaseUrl: db.url })];
    return {
      stores,
      async discard() {
        await Promise.all(stores.map((s) => s.close()));
        await db.drop();
      },
    };
  },
};

/** The drivers this run tests two instances on. */
export const sharedDatabases: SharedDatabase[] = process.env.DATABASE_URL ? [pglite, postgres] : [pglite];
