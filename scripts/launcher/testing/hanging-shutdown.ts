/** A process whose second shutdown step never finishes: the deadline must still end it. */
import { onShutdown, shutdown } from "../../../services/shared/shutdown.ts";

onShutdown("quick step", async () => {});
onShutdown("stuck step", () => new Promise(() => {}));
onShutdown("later step", async () => {});
setInterval(() => {}, 1_000); // something that would keep the process alive on its own
await shutdown(0, { deadlineMs: Number(process.env.DEADLINE_MS ?? 300) });
