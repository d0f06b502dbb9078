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
