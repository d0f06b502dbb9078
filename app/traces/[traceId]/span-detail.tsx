"use client";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { AttrValue, Attributes } from "../../../server/store/types.ts";
import type { SpanRow, SpanTree } from "../../../server/trace/types.ts";
import { formatDuration } from "../../lib/format.ts";
import { ServiceChip } from "../../components/service-chip.tsx";

type Props = { row: SpanRow; tree: SpanTree; onClose: () => void; onSelect: (key: string) => void };

function formatValue(value: AttrValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Everything stored about one span: status, timing, ids, attributes, events, links, resource. */
export function SpanDetail({ row, tree, onClose, onSelect }: Props) {
  const { span } = row;
  const parent = row.parentIndex >= 0 ? tree.rows[row.parentIndex] : undefined;
  return (
    <div className="text-[12px]">
      <div className="sticky top-0 z-10 flex items-start gap-2 border-b border-line bg-bg px-3 py-2.5">
        <div className="min-w-0 flex-1">
          <ServiceChip name={span.serviceName} />
          <h2 className="mt-1 text-[14px] font-semibold break-words" data-testid="span-detail-name">
            {span.name}
          </h2>
        </div>
        <button type="button" onClick={onClose} aria-label="Close span details" className="rounded px-2 py-0.5 text-[16px] text-muted hover:bg-hover hover:text-fg">
          ×
        </button>
      </div>
      <OverviewSection row={row} parent={parent} onSelect={onSelect} />
      <AttributeSection title="Attributes" attributes={span.attributes} searchable />
      <EventsSection span={span} />
      <LinksSection span={span} />
      <AttributeSection title="Resource" attributes={span.resource} />
    </div>
  );
}

type SpanOf = SpanRow["span"];

function OverviewSection({ row, parent, onSelect }: { row: SpanRow; parent: SpanRow | undefined; onSelect: (key: string) => void }) {
  const { span } = row;
  const isError = span.status.code === "ERROR";
  return (
  <Section title="Overview">
    <KeyValues
      entries={[
        ["Status", isError ? `ERROR${span.status.message ? `: ${span.status.message}` : ""}` : span.status.code],
        ["Kind", span.kind],
        ["Duration", formatDuration(row.durationNs)],
        ["Starts at", `+${formatDuration(row.offsetNs)} into the trace`],
        ...(row.skewNs !== 0 ? ([["Clock skew", `shifted ${formatDuration(Math.abs(row.skewNs))} ${row.skewNs > 0 ? "later" : "earlier"}`]] as const) : []),
        ["Span id", span.spanId],
        ["Trace id", span.traceId],
        ["Scope", span.scopeName ?? "–"],
      ]}
      danger={isError ? "Status" : undefined}
    />
    <div className="mt-1 flex gap-1.5">
      <span className="w-24 shrink-0 text-muted">Parent</span>
      {parent ? (
        <button type="button" className="truncate text-accent hover:underline" onClick={() => onSelect(parent.key)}>
          {parent.span.serviceName}: {parent.span.name}
        </button>
      ) : (
        <span>{row.missingParentId ? `${row.missingParentId} (not in this trace)` : "none (root)"}</span>
      )}
    </div>
  </Section>
  );
}

/** Events with their time relative to the span's start (both on the same process clock). */
function EventsSection({ span }: { span: SpanOf }) {
  return (
  <Section title={`Events (${span.events.length})`}>
    {span.events.length === 0 ? (
      <p className="text-muted">No events.</p>
    ) : (
      <ol className="space-y-2">
        {span.events.map((event, i) => (
          <li key={i} className="rounded border border-line p-2">
            <div className="flex gap-2">
              <span className="font-medium">{event.name}</span>
              <span className="ml-auto text-muted tabular-nums">
                +{formatDuration(Number(BigInt(event.timeUnixNano) - BigInt(span.startTimeUnixNano)))}
              </span>
            </div>
            {Object.keys(event.attributes).length > 0 && <AttributeTable attributes={event.attributes} />}
          </li>
        ))}
      </ol>
    )}
  </Section>
  );
}

/** Links to other traces (e.g. a batch consumer linking each message's producer). */
function LinksSection({ span }: { span: SpanOf }) {
  return (
  <Section title={`Links (${span.links.length})`}>
    {span.links.length === 0 ? (
      <p className="text-muted">No links.</p>
    ) : (
      <ul className="space-y-1">
        {span.links.map((link) => (
          <li key={`${link.traceId}-${link.spanId}`}>
            <Link href={`/traces/${link.traceId}?span=${link.spanId}`} className="font-mono text-accent hover:underline">
              {link.traceId.slice(0, 12)}… / {link.spanId}
            </Link>
          </li>
        ))}
      </ul>
    )}
  </Section>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="border-b border-line px-3 py-2.5">
      <h3 className="mb-1.5 text-[11px] font-semibold uppercase tracking-wide text-muted">{title}</h3>
      {children}
    </section>
  );
}

function KeyValues({ entries, danger }: { entries: readonly (readonly [string, string])[]; danger?: string }) {
  return (
    <dl className="space-y-1">
      {entries.map(([key, value]) => (
        <div key={key} className="flex gap-1.5">
          <dt className="w-24 shrink-0 text-muted">{key}</dt>
          <dd className={`min-w-0 font-mono break-all ${key === danger ? "text-danger" : ""}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function AttributeSection({ title, attributes, searchable }: { title: string; attributes: Attributes; searchable?: boolean }) {
  const [filter, setFilter] = useState("");
  const count = Object.keys(attributes).length;
  return (
    <Section title={`${title} (${count})`}>
      {searchable && count > 0 && (
        <input
          type="search"
          aria-label={`Filter ${title.toLowerCase()}`}
          placeholder="Filter keys and values…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="mb-2 w-full rounded-md border border-line-strong bg-bg px-2 py-1 placeholder:text-muted"
        />
      )}
      {count === 0 ? <p className="text-muted">None.</p> : <AttributeTable attributes={attributes} filter={filter} />}
    </Section>
  );
}

/**
 * An attribute key with line-break opportunities after its dots and underscores, so a long key
 * (`switchyard.ingest.replaced_strings`) wraps between its parts, not in the middle of one.
 */
function breakableKey(key: string): ReactNode[] {
  return key.split(/(?<=[._])/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

function AttributeTable({ attributes, filter = "" }: { attributes: Attributes; filter?: string }) {
  const needle = filter.trim().toLowerCase();
  const entries = Object.entries(attributes)
    .map(([key, value]) => [key, formatValue(value)] as const)
    .filter(([key, value]) => !needle || key.toLowerCase().includes(needle) || value.toLowerCase().includes(needle))
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-muted">No match.</p>;
  return (
    <table className="w-full table-fixed" data-testid="attribute-table">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} className="align-top even:bg-subtle">
            <td className="w-2/5 px-1 py-0.5 [overflow-wrap:anywhere] text-muted">{breakableKey(key)}</td>
            <td className="px-1 py-0.5 font-mono break-all">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
