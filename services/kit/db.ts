import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../prisma/generated/client.ts";

/** Each client's connection string, for the few jobs Prisma cannot do (LISTEN, see outbox.ts). */
const connectionStrings = new WeakMap<PrismaClient, string>();

/** A Prisma client over the `pg` driver adapter. Each service only touches its own schema. */
export function createDb(connectionString: string): PrismaClient {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  connectionStrings.set(db, connectionString);
  return db;
}

/** The connection string `db` was created with (by `createDb`). */
export function connectionStringOf(db: PrismaClient): string {
  const url = connectionStrings.get(db);
  if (!url) throw new Error("connectionStringOf: this client was not created by createDb");
  return url;
}

export type Db = PrismaClient;

/** The client of a Prisma interactive transaction (`db.$transaction(async (tx) => ...)`). */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
