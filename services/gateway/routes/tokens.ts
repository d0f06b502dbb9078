import { TokenBodySchema, type TokenResponse } from "../../contracts/index.ts";
import { issueToken } from "../auth/tokens.ts";
import type { Route } from "./types.ts";
import { validate } from "./validate.ts";

/** `POST /vN/tokens`: a signed token for the calling API key, valid `ttlSeconds` (default 900). */
export const issueTokenRoute: Route = {
  method: "POST",
  path: "/tokens",
  upstreams: [],
  apiKeyOnly: true,
  async handle({ body, auth, deps }) {
    const { ttlSeconds } = validate(TokenBodySchema, body, "token request");
    const { token, expiresAt } = issueToken(deps.tokenSecret, { id: auth.keyId, name: auth.keyName, rateLimit: auth.rateLimit }, ttlSeconds);
    const answer: TokenResponse = { token, expiresAt: expiresAt.toISOString() };
    return { status: 201, body: answer };
  },
};
