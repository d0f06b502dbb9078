// Entry point: tracing starts before the service code is imported (see kit/main.ts).
import { bootService } from "../kit/main.ts";
import { env } from "./env.ts";

await bootService({ serviceName: "gateway", tracesUrl: env.OTLP_TRACES_URL, entryUrl: new URL("./index.ts", import.meta.url) });
