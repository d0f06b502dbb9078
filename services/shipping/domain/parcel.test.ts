import { describe, expect, it } from "vitest";
import { MAX_PARCEL_QUANTITY } from "../../contracts/index.ts";
import { parcelRefusal } from "./parcel.ts";

describe("parcelRefusal", () => {
  it("ships up to the limit and refuses anything above it", () => {
    expect(parcelRefusal(MAX_PARCEL_QUANTITY)).toBeNull();
    expect(parcelRefusal(MAX_PARCEL_QUANTITY + 1)).toMatch(/exceed the parcel limit/);
  });
});
