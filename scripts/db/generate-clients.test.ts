import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Db as PaymentDb } from "../../services/payment/db.ts";
import type { Db as OrderDb } from "../../services/order/db.ts";
import { clientSchema, datasourceSchemas, schemaBlocks } from "./generate-clients.ts";

const source = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");

describe("one Prisma client per schema", () => {
  it("puts every model and enum of prisma/schema.prisma into exactly the client of its @@schema", () => {
    const blocks = schemaBlocks(source);
    const declared = [...source.matchAll(/^(model|enum|view)\s+(\w+)/gm)].map((m) => m[2]);
    const schemas = datasourceSchemas(source);
    expect(schemas).toEqual(["telemetry", "orders", "inventory", "notification", "payment", "shipping", "analytics"]);
    const placed = schemas.flatMap((schema) => {
      const copy = clientSchema(schema, blocks);
      // Every @@schema of a copy names its own schema, and its datasource lists only that one.
      expect([...copy.matchAll(/@@schema\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(expect.arrayContaining([schema]));
      expect(new Set([...copy.matchAll(/@@schema\("([^"]+)"\)/g)].map((m) => m[1]))).toEqual(new Set([schema]));
      expect(copy).toContain(`schemas  = ["${schema}"]`);
      return [...copy.matchAll(/^(model|enum|view)\s+(\w+)/gm)].map((m) => m[2]);
    });
    expect(placed.sort()).toEqual(declared.sort());
  });

  it("keeps a block's doc comments with it and drops the source's generator and datasource", () => {
    const copy = clientSchema("payment", schemaBlocks(source));
    expect(copy).toMatch(/\/\/\/[^\n]*\n(\/\/\/[^\n]*\n)*model Payment \{/);
    expect(copy.match(/^datasource /gm)).toHaveLength(1);
    expect(copy).toContain('output       = "../payment"');
  });

  it("refuses a model without @@schema and an unclosed block", () => {
    expect(() => schemaBlocks("model A {\n  id Int @id\n}\n")).toThrow(/model A has no @@schema/);
    expect(() => schemaBlocks('enum E {\n  X\n  @@schema("orders")\n')).toThrow(/enum E is not closed/);
  });

  it("gives a service a client that does not know another service's tables (checked by tsc)", () => {
    const tables = (db: PaymentDb, orders: OrderDb) => [
      db.payment,
      orders.order,
      // @ts-expect-error: the payment service's client has no orders table
      db.order,
      // @ts-expect-error: nor inventory's
      db.reservation,
      // @ts-expect-error: the order service's client has no payments table
      orders.payment,
    ];
    expect(typeof tables).toBe("function");
  });
});
