import type { Metadata } from "next";
import { ImportForm } from "./import-form.tsx";

export const metadata: Metadata = { title: "Import a trace" };

/** /traces/import — upload or paste an OTLP JSON or Jaeger JSON file; it is stored and opened. */
export default function ImportTracePage() {
  return (
    <div className="h-full overflow-y-auto">
      <div className="px-4 pt-3">
        <h1 className="text-[15px] font-semibold">Import a trace</h1>
        <p className="mt-1 max-w-4xl text-muted">
          An OTLP JSON file (what “Download OTLP JSON” gives, or an OTel Collector file export) or a Jaeger JSON file (Jaeger UI’s
          “Download JSON”, or its API’s <span className="font-mono">/api/traces/&lt;id&gt;</span>), up to 32 MiB and 100,000 spans. The
          trace is <strong>stored</strong> like any other, its spans marked <span className="font-mono">switchyard.imported</span>, so
          it gets a URL and every view; it is subject to the same retention. A file with an invalid span stores nothing.
        </p>
      </div>
      <ImportForm />
    </div>
  );
}
