"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type DragEvent, type ReactNode } from "react";
import {
  ImportErrorBodySchema,
  ImportResultSchema,
  MAX_IMPORT_BYTES,
  type ImportedTrace,
} from "../../../server/trace/import-result.ts";
import { sniffFormat, type SniffedFormat } from "./sniff-format.ts";

const FORMAT_LABELS: Record<"otlp-json" | "jaeger-json", string> = { "otlp-json": "OTLP JSON", "jaeger-json": "Jaeger JSON" };
/** Enough of a file to recognise its format without reading all of it. */
const SNIFF_BYTES = 64 * 1024;
const BUTTON = "rounded-md bg-accent px-4 py-1.5 font-medium text-accent-fg hover:opacity-90 disabled:opacity-50";

type Failure = { message: string; traceIds: string[] };
type Outcome = { state: "idle" } | { state: "sending" } | { state: "failed"; failure: Failure } | { state: "stored"; traces: ImportedTrace[] };

function formatLabel(format: SniffedFormat): string {
  return format ? FORMAT_LABELS[format] : "not recognised yet (OTLP JSON or Jaeger JSON expected)";
}

function sizeLabel(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The server's reason, whichever error shape it answered in (ours, or tRPC's from the same-origin guard). */
async function failureOf(response: Response): Promise<Failure> {
  const json: unknown = await response.json().catch(() => null);
  const ours = ImportErrorBodySchema.safeParse(json);
  if (ours.success) return { message: ours.data.error, traceIds: ours.data.traceIds ?? [] };
  const trpcMessage = (json as { error?: { message?: unknown } } | null)?.error?.message;
  return { message: typeof trpcMessage === "string" ? trpcMessage : `The server answered ${response.status}.`, traceIds: [] };
}

async function sendImport(body: Blob | string, asCopy: boolean): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`/api/traces/import${asCopy ? "?rekey=1" : ""}`, { method: "POST", body, headers: { "content-type": "application/json" } });
  } catch {
    return { state: "failed", failure: { message: "Could not reach the dashboard server.", traceIds: [] } };
  }
  if (!response.ok) return { state: "failed", failure: await failureOf(response) };
  const result = ImportResultSchema.safeParse(await response.json().catch(() => null));
  if (!result.success) return { state: "failed", failure: { message: "The server's answer was not understood.", traceIds: [] } };
  return { state: "stored", traces: result.data.traces };
}

/** Upload (picker or drop) or paste a trace file; the trace is stored and opened. */
export function ImportForm() {
  const router = useRouter();
  const [file, setFile] = useState<{ blob: File; format: SniffedFormat } | null>(null);
  const [text, setText] = useState("");
  const [asCopy, setAsCopy] = useState(false);
  const [isDragging, setDragging] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const busy = outcome.state === "sending";

  const choose = async (blob: File | undefined) => {
    if (!blob) return;
    setOutcome({ state: "idle" });
    setFile({ blob, format: sniffFormat(await blob.slice(0, SNIFF_BYTES).text()) });
  };
  const submit = async (body: Blob | string) => {
    setOutcome({ state: "sending" });
    const next = await sendImport(body, asCopy);
    setOutcome(next);
    if (next.state === "stored" && next.traces.length === 1) router.push(`/traces/${next.traces[0]!.traceId}`);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  };
  const isFileTooLarge = file !== null && file.blob.size > MAX_IMPORT_BYTES;
  const pastedFormat = sniffFormat(text.slice(0, SNIFF_BYTES));

  return (
    <div className="m-4 flex max-w-4xl flex-col gap-4">
      <Section title="Upload a file">
        <div
          data-testid="import-dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`flex flex-col items-center gap-2 rounded-md border-2 border-dashed px-4 py-6 text-center ${isDragging ? "border-accent bg-hover" : "border-line-strong"}`}
        >
          <span className="text-muted">Drop an OTLP JSON or Jaeger JSON file here, or</span>
          <label className="cursor-pointer rounded-md border border-line-strong bg-bg px-3 py-1.5 font-medium hover:bg-hover focus-within:outline-2 focus-within:outline-accent">
            Choose a file
            <input type="file" accept=".json,application/json,text/plain" aria-label="Trace file" className="sr-only" onChange={(e) => void choose(e.target.files?.[0])} />
          </label>
        </div>
        {file && (
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <span data-testid="import-file">
              <span className="font-mono">{file.blob.name}</span> · {sizeLabel(file.blob.size)} · format:{" "}
              <span className="font-medium" data-testid="import-file-format">
                {formatLabel(file.format)}
              </span>
            </span>
            <button type="button" className={BUTTON} disabled={busy || isFileTooLarge} onClick={() => void submit(file.blob)}>
              {busy ? "Importing…" : "Import file"}
            </button>
            {isFileTooLarge && <span className="text-danger">Larger than {sizeLabel(MAX_IMPORT_BYTES)}, the most an import takes.</span>}
          </div>
        )}
      </Section>
      <Section title="Or paste it">
        <textarea
          aria-label="Trace JSON"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={10}
          spellCheck={false}
          placeholder='{"resourceSpans": [...]}   or   {"data": [{"traceID": ..., "spans": [...], "processes": {...}}]}'
          className="w-full rounded-md border border-line-strong bg-bg p-2 font-mono text-[12px]"
        />
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <span>
            format:{" "}
            <span className="font-medium" data-testid="import-text-format">
              {text.trim() === "" ? "—" : formatLabel(pastedFormat)}
            </span>
          </span>
          <button type="button" className={BUTTON} disabled={busy || text.trim() === ""} onClick={() => void submit(text)}>
            {busy ? "Importing…" : "Import pasted text"}
          </button>
        </div>
      </Section>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={asCopy} onChange={(e) => setAsCopy(e.target.checked)} />
        Import as a copy under a new trace id (for a trace that is already stored)
      </label>
      <Result outcome={outcome} />
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-line bg-subtle p-4">
      <h2 className="mb-3 font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Result({ outcome }: { outcome: Outcome }) {
  if (outcome.state === "failed") {
    const { message, traceIds } = outcome.failure;
    return (
      <div role="alert" data-testid="import-error" className="rounded-md border border-danger px-3 py-2 text-danger">
        <p>{message}</p>
        {traceIds.length > 0 && (
          <p className="mt-1 text-fg">
            {traceIds.map((id) => (
              <Link key={id} href={`/traces/${id}`} className="mr-3 font-mono underline">
                Open {id}
              </Link>
            ))}
            or tick “Import as a copy” and import again.
          </p>
        )}
      </div>
    );
  }
  if (outcome.state !== "stored") return null;
  // One trace: the page is already on its way there; several: pick one.
  return (
    <div data-testid="import-result" className="rounded-md border border-line px-3 py-2">
      <p>
        Stored {outcome.traces.length} trace{outcome.traces.length > 1 ? "s" : ""}
        {outcome.traces.length === 1 ? "; opening it…" : ":"}
      </p>
      <ul className="mt-1">
        {outcome.traces.map((t) => (
          <li key={t.traceId}>
            <Link href={`/traces/${t.traceId}`} className="underline">
              {t.rootName}
            </Link>{" "}
            <span className="font-mono text-muted">{t.traceId}</span> · {t.spanCount} spans
            {t.originalTraceId && <span className="text-muted"> · copy of {t.originalTraceId}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
