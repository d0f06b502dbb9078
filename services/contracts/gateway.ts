import { z } from "zod";
import { ListOrdersInputSchema, OrderIdSchema, OrderSchema, OrderStatusSchema, PlaceOrderInputSchema, PlaceOrderOutputSchema } from "./order.ts";
import { ProductSchema } from "./inventory.ts";
import { PaymentSchema } from "./payment.ts";
import { ShipmentSchema } from "./shipping.ts";

/**
 * The public HTTP API of the gateway (`/v1`, `/v2`). v1 returns the services' own shapes; v2
 * wraps them: money as `{ amount, currency }`, ids as `id`, and `links` to related resources.
 */
export const API_VERSIONS = ["v1", "v2"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** Headers: `x-api-key: sy_...` or `authorization: Bearer <token from POST /v1/tokens>`. */
export const GatewayHeaders = { API_KEY: "x-api-key", AUTHORIZATION: "authorization", CACHE: "x-cache" } as const;

/** API keys look like `sy_` + 43 base64url characters (32 random bytes). */
export const ApiKeySchema = z.string().regex(/^sy_[A-Za-z0-9_-]{43}$/);

/** The currency of catalogue prices (the shop has one). */
export const SHOP_CURRENCY = "EUR";

export const PlaceOrderBodySchema = PlaceOrderInputSchema.strict();
export type PlaceOrderBody = z.infer<typeof PlaceOrderBodySchema>;
export const OrderIdParamSchema = OrderIdSchema;

/**
 * `GET /vN/orders?limit=`: the most recent orders, newest first. Query values arrive as text;
 * bounds and default are the order service's own.
 */
export const ListOrdersQuerySchema = z
  .object({ limit: z.coerce.number().pipe(ListOrdersInputSchema.shape.limit.unwrap()).default(ListOrdersInputSchema.parse({}).limit) })
  .strict();
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

/** `POST /v1/tokens`: a short-lived signed token for the key that asked. */
export const TokenBodySchema = z.object({ ttlSeconds: z.number().int().min(10).max(3600).default(900) }).strict();
export const TokenResponseSchema = z.object({ token: z.string(), expiresAt: z.string() });
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** Every gateway error: a stable code, a message, optional details (validation issues). */
export const GatewayErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type GatewayError = z.infer<typeof GatewayErrorSchema>;

export const MoneySchema = z.object({ amount: z.string(), currency: z.string() });
export type Money = z.infer<typeof MoneySchema>;
const LinksSchema = z.record(z.string(), z.string());

// v1 shapes: the services' own as they were when v1 was published. v1 predates CONFIRMED (it
// reads PENDING there: "not final yet, poll") and the order's `recovery` field.
const V1OrderStatusSchema = OrderStatusSchema.exclude(["CONFIRMED"]);
export const V1PlaceOrderResponseSchema = PlaceOrderOutputSchema.extend({ status: V1OrderStatusSchema });
export const V1OrderResponseSchema = OrderSchema.omit({ recovery: true }).extend({ status: V1OrderStatusSchema });
export const V1ProductsResponseSchema = z.array(ProductSchema);
export const V1OrdersResponseSchema = z.array(V1OrderResponseSchema);

/** A part of an aggregated answer that could not be fetched in time (or failed). */
export const DegradedPartSchema = z.object({ part: z.enum(["order", "payment", "shipping"]), reason: z.string() });
export type DegradedPart = z.infer<typeof DegradedPartSchema>;

export const V1OrderSummarySchema = z.object({
  order: V1OrderResponseSchema.nullable(),
  payment: PaymentSchema.nullable(),
  shipment: ShipmentSchema.nullable(),
  /** Parts missing from this answer and why; empty when the summary is complete. */
  degraded: z.array(DegradedPartSchema),
});
export type V1OrderSummary = z.infer<typeof V1OrderSummarySchema>;

// v2 shapes
export const V2OrderSchema = OrderSchema.omit({ id: true }).extend({ id: OrderIdSchema, links: LinksSchema });
export const V2OrdersResponseSchema = z.object({ items: z.array(V2OrderSchema), links: LinksSchema });
export const V2PlaceOrderResponseSchema = z.object({
  id: OrderIdSchema,
  status: PlaceOrderOutputSchema.shape.status,
  style: PlaceOrderOutputSchema.shape.style,
  reason: z.string().nullable(),
  traceId: z.string(),
  links: LinksSchema,
});
export const V2ProductSchema = z.object({ id: z.string(), name: z.string(), price: MoneySchema, stock: z.number().int() });
export const V2ProductsResponseSchema = z.object({ items: z.array(V2ProductSchema), links: LinksSchema });
export const V2OrderSummarySchema = z.object({
  order: V2OrderSchema.nullable(),
  payment: PaymentSchema.omit({ amountCents: true }).extend({ amount: MoneySchema }).nullable(),
  shipment: ShipmentSchema.nullable(),
  degraded: z.array(DegradedPartSchema),
  /** true when every part answered. */
  complete: z.boolean(),
  links: LinksSchema,
});

/** `POST /vN/orders/:id/retry`: the attempt the caller saw fail (default: the latest). */
export const SagaRetryBodySchema = z.object({ afterAttempt: z.number().int().min(0).max(1_000_000).optional() }).strict();
/** `POST /vN/orders/:id/cancel` takes no fields. */
export const SagaCancelBodySchema = z.object({}).strict();
