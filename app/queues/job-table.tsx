"use client";
import Link from "next/link";
import { Fragment } from "react";
import type { JobRow } from "../../server/queues/view-models.ts";
import { useNow } from "../lib/use-now.ts";
import { formatFullMs, formatRelativeMs } from "./format-time.ts";

export type JobAction = "retry" | "promote" | "remove";

const TH = "sticky top-0 z-10 border-b border-line bg-subtle px-3 py-1.5 text-left font-medium whitespace-nowrap text-muted";
const PRE = "max-h-72 overflow-auto rounded-md border border-line bg-bg p-2 font-mono text-[12px] leading-snug whitespace-pre-wrap";
const BUTTON = "rounded-md border px-2 py-0.5 disabled:opacity-40";
const COLUMNS = 7;

/** The actions a job in this state offers (BullMQ refuses the others; active jobs are a worker's). */
function actionsFor(job: JobRow): JobAction[] {
  if (job.state === "active") return [];
  if (job.state === "failed") return ["retry", "remove"];
  if (job.state === "delayed") return ["promote", "remove"];
  return ["remove"];
}

function Time({ at, now }: { at: number | null; now: number }) {
  return <time title={formatFullMs(at)} dateTime={at === null ? undefined : new Date(at).toISOString()}>{formatRelativeMs(at, now)}</time>;
}

/** A state's jobs, newest first; a row opens payload, timestamps, error and return value. */
export function JobTable({ jobs, openId, isBusy, onToggleOpen, onAction }: {
  jobs: JobRow[];
  openId: string | undefined;
  isBusy: boolean;
  onToggleOpen: (id: string) => void;
  onAction: (action: JobAction, id: string) => void;
}) {
  const now = useNow();
  return (
    <table className="w-full table-fixed border-separate border-spacing-0" data-testid="job-table">
      <thead>
        <tr>
          <th className={`${TH} w-[22%]`}>Job</th>
          <th className={`${TH} w-[14%]`}>Name</th>
          <th className={`${TH} w-[8%] text-right`}>Attempts</th>
          <th className={TH}>Failure reason</th>
          <th className={`${TH} w-[10%] text-right`}>Added</th>
          <th className={`${TH} w-[10%] text-right`}>{jobs[0]?.state === "delayed" ? "Due" : "Finished"}</th>
          <th className={`${TH} w-[13%]`}>Actions</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => {
          const isOpen = job.id === openId;
          return (
            <Fragment key={job.id}>
              <tr data-testid="job-row" data-id={job.id} data-state={job.state} data-nav-row tabIndex={0} aria-expanded={isOpen} onClick={() => onToggleOpen(job.id)}
                className={`cursor-pointer ${isOpen ? "bg-selected" : "hover:bg-hover"} [&>td]:border-b [&>td]:border-line [&>td]:px-3 [&>td]:py-1.5`}>
                <td className="max-w-0">
                  <div className="flex items-center gap-2">
                    <span className="truncate font-mono text-[12px]" title={job.id}>{job.id}</span>
                    {job.traceId && (
                      <Link href={`/traces/${job.traceId}`} onClick={(e) => e.stopPropagation()} data-testid="job-trace-link" title={`Open trace ${job.traceId}`}
                        className="shrink-0 font-mono text-[11px] text-muted hover:text-accent hover:underline">
                        {job.traceId.slice(0, 8)}
                      </Link>
                    )}
                  </div>
                </td>
                <td className="max-w-0"><span className="block truncate" title={job.name}>{job.name || "(unnamed)"}</span></td>
                <td className="text-right tabular-nums">{job.attemptsMade}<span className="text-muted">/{job.maxAttempts}</span></td>
                <td className="max-w-0">
                  <span className="block truncate text-danger" title={job.failedReason ?? ""}>{job.failedReason ?? ""}</span>
                </td>
                <td className="text-right whitespace-nowrap text-muted tabular-nums"><Time at={job.createdAt} now={now} /></td>
                <td className="text-right whitespace-nowrap text-muted tabular-nums"><Time at={job.state === "delayed" ? job.dueAt : job.finishedAt} now={now} /></td>
                <td onClick={(e) => e.stopPropagation()}>
                  <div className="flex gap-1.5">
                    {actionsFor(job).map((action) => (
                      <button key={action} type="button" data-testid={`job-${action}`} disabled={isBusy} onClick={() => onAction(action, job.id)}
                        className={`${BUTTON} ${action === "remove" ? "border-danger/50 text-danger hover:bg-danger-bg" : "border-line-strong hover:bg-hover"}`}>
                        {action[0]!.toUpperCase() + action.slice(1)}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
              {isOpen && (
                <tr>
                  <td colSpan={COLUMNS} className="border-b border-line p-0"><JobDetail job={job} /></td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

/** One job in full: facts, payload, and the error with its stack (or the return value). */
function JobDetail({ job }: { job: JobRow }) {
  return (
    <div className="grid grid-cols-1 gap-4 bg-subtle px-4 py-3 lg:grid-cols-[minmax(16rem,22rem)_1fr_1fr]" data-testid="job-detail">
      <dl className="grid grid-cols-[auto_1fr] content-start gap-x-3 gap-y-1">
        <Fact label="Job"><span className="font-mono text-[12px] break-all">{job.id}</span></Fact>
        <Fact label="State">{job.state}</Fact>
        <Fact label="Attempts">{job.attemptsMade} of {job.maxAttempts}</Fact>
        <Fact label="Added">{formatFullMs(job.createdAt) || "–"}</Fact>
        <Fact label="Started">{formatFullMs(job.processedAt) || "–"}</Fact>
        <Fact label="Finished">{formatFullMs(job.finishedAt) || "–"}</Fact>
        {job.dueAt !== null && <Fact label="Due">{formatFullMs(job.dueAt)}</Fact>}
        <Fact label="Trace">
          {job.traceId ? (
            <Link href={`/traces/${job.traceId}`} className="text-accent hover:underline" data-testid="job-detail-trace">trace {job.traceId.slice(0, 8)}</Link>
          ) : (
            <span className="text-muted">no trace context in the job</span>
          )}
        </Fact>
      </dl>
      <section className="min-w-0">
        <h3 className="mb-1 font-medium">Payload</h3>
        <pre className={PRE} data-testid="job-payload">{job.payload}</pre>
      </section>
      <section className="min-w-0">
        {job.failedReason ? (
          <>
            <h3 className="mb-1 font-medium">Failure</h3>
            <p className="mb-1 text-danger">{job.failedReason}</p>
            {job.stacktrace.length > 0 && <pre className={PRE}>{job.stacktrace[job.stacktrace.length - 1]}</pre>}
          </>
        ) : job.returnValue ? (
          <>
            <h3 className="mb-1 font-medium">Return value</h3>
            <pre className={PRE}>{job.returnValue}</pre>
          </>
        ) : null}
      </section>
    </div>
  );
}
