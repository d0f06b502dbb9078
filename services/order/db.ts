import { createDb, type TransactionOf } from "../kit/db.ts";
import { PrismaClient } from "../../prisma/generated/orders/client.ts";

/** The order service's client: it knows the `orders` schema's tables and no other's. */
export type Db = PrismaClient;
export type Tx = TransactionOf<Db>;

export const createServiceDb = (connectionString: string): Db => createDb(PrismaClient, connectionString);
