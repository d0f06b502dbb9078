import { describe, expect, it } from "vitest";
import { guardedEffectText, sql } from "./guarded-effect.ts";

const effect = (n: number) => sql`INSERT INTO "kit_test"."effects" ("consumer", "n") SELECT ${"c"}::text, ${n}::int FROM "first"`;

describe("guardedEffectText", () => {
  it("puts the ledger insert and the effect in one statement, numbering the effect's values after the ledger's", () => {
    const text = guardedEffectText("analytics", effect(1));
    expect(text).toMatch(/^WITH "first" AS \(INSERT INTO "analytics"\."processed_messages" \("consumer", "message_id"\) VALUES \(\$1, \$2::uuid\) ON CONFLICT DO NOTHING RETURNING 1\),/);
    expect(text).toContain(`"effect" AS (INSERT INTO "kit_test"."effects" ("consumer", "n") SELECT $3::text, $4::int FROM "first")`);
    expect(text).toMatch(/SELECT count\(\*\)::int AS "first" FROM "first"$/);
  });

  it("builds one text per call site and schema (the same text, so one prepared statement)", () => {
    expect(guardedEffectText("analytics", effect(1))).toBe(guardedEffectText("analytics", effect(2)));
    expect(guardedEffectText("notification", effect(1))).toContain(`"notification"."processed_messages"`);
  });

  it("records the message alone when there is no effect", () => {
    expect(guardedEffectText("shipping", null)).toBe(
      `WITH "first" AS (INSERT INTO "shipping"."processed_messages" ("consumer", "message_id") VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS "first" FROM "first"`,
    );
  });

  it("refuses an effect that does not read \"first\" (it would run again on every redelivery)", () => {
    expect(() => guardedEffectText("analytics", sql`INSERT INTO "kit_test"."effects" ("n") VALUES (${1})`)).toThrow(/must read "first"/);
  });
});
