/**
 * Service map layout benchmark: `node --import tsx bench/map-layout.ts [--nodes 50] [--edges 150]
 * [--runs 30]`. Lays out a synthetic map (app/map/fixtures.ts) with the map's own ELK options
 * (app/map/layout-graph.ts, elkjs in this thread, as in the page) after a few warm-up runs, and
 * prints p50/p95/max wall time and CPU time. Asserts nothing. Last line: `map-layout: nodes=<n> edges=<m> p50_ms=<x> p95_ms=<y>`.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { syntheticGraph } from "../app/map/fixtures.ts";
import { layoutGraph } from "../app/map/layout-graph.ts";

const { values: args } = parseArgs({
  options: { nodes: { type: "string", default: "50" }, edges: { type: "string", default: "150" }, runs: { type: "string", default: "30" } },
});
const NODES = Number(args.nodes);
const EDGES = Number(args.edges);
const RUNS = Number(args.runs);
const WARMUP = 10;

const graph = syntheticGraph(NODES, EDGES);
const times: number[] = [];
/** CPU ms of this process per layout: what the layout costs when the machine is shared (wall ms also counts waiting for a core). */
const cpu: number[] = [];
let size = { width: 0, height: 0 };
for (let i = 0; i < WARMUP + RUNS; i++) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const layout = await layoutGraph(graph.nodes, graph.edges);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  if (i >= WARMUP) (times.push(ms), cpu.push((used.user + used.system) / 1000));
  size = { width: layout.width, height: layout.height };
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const at = (q: number, list = times) => list[Math.min(list.length - 1, Math.floor(q * list.length))]!;
const fmt = (ms: number) => ms.toFixed(1);
console.log(`laid out ${graph.nodes.length} nodes and ${graph.edges.length} edges ${RUNS} times (after ${WARMUP} warm-up runs); drawing ${Math.round(size.width)} x ${Math.round(size.height)} px`);
console.log(`min ${fmt(times[0]!)} ms · p50 ${fmt(at(0.5))} ms · p95 ${fmt(at(0.95))} ms · max ${fmt(times[times.length - 1]!)} ms (budget 200 ms)`);
console.log(`CPU per layout: p50 ${fmt(at(0.5, cpu))} ms · p95 ${fmt(at(0.95, cpu))} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
console.log(`map-layout: nodes=${graph.nodes.length} edges=${graph.edges.length} p50_ms=${fmt(at(0.5))} p95_ms=${fmt(at(0.95))} cpu_p50_ms=${fmt(at(0.5, cpu))}`);
