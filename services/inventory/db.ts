import { createDb, type TransactionOf } from "../kit/db.ts";
import { PrismaClient } from "../../prisma/generated/inventory/client.ts";

/** The inventory service's client: it knows the `inventory` schema's tables and no other's. */
export type Db = PrismaClient;
export type Tx = TransactionOf<Db>;

export const createServiceDb = (connectionString: string): Db => createDb(PrismaClient, connectionString);
