import { createDb, type TransactionOf } from "../kit/db.ts";
import { PrismaClient } from "../../prisma/generated/analytics/client.ts";

/** The analytics service's client: it knows the `analytics` schema's tables and no other's. */
export type Db = PrismaClient;
export type Tx = TransactionOf<Db>;

export const createServiceDb = (connectionString: string): Db => createDb(PrismaClient, connectionString);
