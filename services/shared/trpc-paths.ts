/** Where every service mounts its tRPC router. */
export const TRPC_BASE_PATH = "/trpc";

/** True for a URL that targets a Switchyard tRPC endpoint (`<origin>/trpc/<path>`). */
export function isTrpcRequestUrl(url: string): boolean {
  try {
    return new URL(url).pathname.startsWith(`${TRPC_BASE_PATH}/`);
  } catch {
    // Not a parseable absolute URL, so it cannot be one of ours.
    return false;
  }
}

/**
 * Most procedure calls one batched tRPC request may carry (servers refuse more with 400): one
 * request must not fan out into hundreds of queries. Batching clients set `maxItems` to this or less.
 */
export const MAX_TRPC_BATCH_SIZE = 20;
