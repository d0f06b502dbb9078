// Test fixture (tracing-mode.int.test.ts): boots like a service, then boot-probe-entry.ts reports
// what the boot loaded. The collector URL is never answered; the probe exports nothing anyway.
import { bootService } from "../main.ts";

await bootService({ serviceName: "probe", tracesUrl: "http://127.0.0.1:9/v1/traces", entryUrl: new URL("./boot-probe-entry.ts", import.meta.url) });
