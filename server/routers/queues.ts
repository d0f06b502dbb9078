import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { QueueAdmin } from "../queues/queue-admin.ts";
import { getQueueAdmin } from "../queues/queue-admin-instance.ts";
import { CleanableStateSchema, JobRowSchema, pageOf, QueueJobStateSchema, QueueSummarySchema } from "../queues/view-models.ts";
import { publicProcedure, router } from "./trpc.ts";

/** A BullMQ queue name as the page passes it (no `:`; BullMQ's keys are `<prefix>:<name>:...`). */
const QueueNameSchema = z.string().min(1).max(200).regex(/^[^\s:]+$/, "a queue name has no spaces or colons");
const JobIdSchema = z.string().min(1).max(400);

const ListQueuesInputSchema = z.object({
  /** Substring filter on the name. */
  search: z.string().max(200).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

const JobsInputSchema = z.object({
  queue: QueueNameSchema,
  state: QueueJobStateSchema.default("failed"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});

const ActionInputSchema = z.object({ queue: QueueNameSchema, ids: z.array(JobIdSchema).min(1).max(200) });
export const ActionOutcomesSchema = z.array(
  z.object({ id: z.string(), status: z.enum(["done", "not-found", "failed"]), message: z.string().nullable() }),
);

const CleanInputSchema = z.object({
  queue: QueueNameSchema,
  state: CleanableStateSchema,
  /** Only jobs older than this (ms); 0 cleans every job of the state. */
  graceMs: z.number().int().min(0).max(30 * 24 * 3600_000).default(0),
  limit: z.number().int().min(1).max(10_000).default(1000),
});

/**
 * BullMQ's queues: list with counts and throughput (paged: a sandbox may hold a thousand), a
 * queue's jobs per state (paged), and the actions. Actions are mutations (POST, checked for
 * same-origin in the route handler), each recorded as a span by the admin.
 */
export function createQueuesRouter(admin: () => QueueAdmin) {
  return router({
    list: publicProcedure
      .input(ListQueuesInputSchema)
      .output(z.object({ items: z.array(QueueSummarySchema), page: z.number().int(), pages: z.number().int(), total: z.number().int() }))
      .query(async ({ input }) => {
        const needle = input.search?.trim().toLowerCase();
        const names = (await admin().listQueueNames()).filter((name) => !needle || name.toLowerCase().includes(needle));
        const page = pageOf(names, input.page, input.pageSize);
        return { ...page, items: await admin().summarize(page.items) };
      }),

    jobs: publicProcedure
      .input(JobsInputSchema)
      .output(z.object({ queue: QueueSummarySchema, jobs: z.array(JobRowSchema), page: z.number().int(), pages: z.number().int(), total: z.number().int() }))
      .query(async ({ input }) => {
        const [summary] = await admin().summarize([input.queue]);
        const { jobs, total } = await admin().listJobs(input.queue, input.state, (input.page - 1) * input.pageSize, input.pageSize);
        return { queue: summary!, jobs, page: input.page, pages: Math.max(1, Math.ceil(total / input.pageSize)), total };
      }),

    job: publicProcedure
      .input(z.object({ queue: QueueNameSchema, id: JobIdSchema }))
      .output(JobRowSchema)
      .query(async ({ input }) => {
        const job = await admin().getJob(input.queue, input.id);
        if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `no job ${input.id} in ${input.queue}` });
        return job;
      }),

    /** Failed (or completed) jobs back to waiting, with their attempts reset. */
    retry: publicProcedure.input(ActionInputSchema).output(ActionOutcomesSchema).mutation(({ input }) => admin().act(input.queue, "retry", input.ids)),
    /** Delayed jobs to waiting now. */
    promote: publicProcedure.input(ActionInputSchema).output(ActionOutcomesSchema).mutation(({ input }) => admin().act(input.queue, "promote", input.ids)),
    remove: publicProcedure.input(ActionInputSchema).output(ActionOutcomesSchema).mutation(({ input }) => admin().act(input.queue, "remove", input.ids)),
    /** BullMQ's `Queue.clean`: only jobs of the named state, older than the grace. */
    clean: publicProcedure
      .input(CleanInputSchema)
      .output(z.object({ removed: z.array(z.string()) }))
      .mutation(async ({ input }) => ({ removed: await admin().clean(input.queue, input.state, input.graceMs, input.limit) })),
  });
}

/** The dashboard's queue API over the process-wide admin. */
export const queuesRouter = createQueuesRouter(getQueueAdmin);
