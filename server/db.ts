/**
 * Prisma client factory for the dashboard side and the store's read API. The caller passes the
 * connection string from its own validated env (nothing here reads `process.env`).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../prisma/generated/client.ts";

/** The database handle the read API (`server/store/read.ts`) takes. */
export type Db = PrismaClient;

/** Creates a Prisma client over node-postgres; call `$disconnect()` when done. */
export function createDb(connectionString: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}
