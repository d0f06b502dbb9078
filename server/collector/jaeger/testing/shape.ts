/**
 * The JSON shape of an answer, for contract tests against fixtures shaped like jaeger-query's:
 * every path (`data[].spans[].tags[].value`) with the JSON types seen there. Two answers have
 * the same contract when they have the same paths and each path's types are among the fixture's.
 */
export type Shape = Map<string, Set<string>>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Paths of `value`; keys of maps keyed by data (`processes.p1`) are written `processes.*`. */
export function shapeOf(value: unknown, mapKeys: readonly string[] = ["processes"]): Shape {
  const shape: Shape = new Map();
  const walk = (v: unknown, path: string) => {
    const types = shape.get(path) ?? new Set<string>();
    types.add(typeOf(v));
    shape.set(path, types);
    if (Array.isArray(v)) for (const item of v) walk(item, `${path}[]`);
    else if (v !== null && typeof v === "object") {
      const isMap = mapKeys.some((k) => path === k || path.endsWith(`.${k}`));
      for (const [key, child] of Object.entries(v)) walk(child, `${path}${path ? "." : ""}${isMap ? "*" : key}`);
    }
  };
  walk(value, "");
  return shape;
}

/** Differences between `actual` and the fixture's shape: paths missing, unknown, or of another type ("integer" fits "number"). */
export function shapeDifferences(actual: unknown, fixture: unknown): string[] {
  const got = shapeOf(actual);
  const want = shapeOf(fixture);
  const problems: string[] = [];
  for (const [path, types] of got) {
    const allowed = want.get(path);
    if (!allowed) problems.push(`unknown field ${path}`);
    else for (const t of types) if (!allowed.has(t) && !(t === "integer" && allowed.has("number"))) problems.push(`${path}: ${t}, fixture has ${[...allowed].join("|")}`);
  }
  for (const path of want.keys()) if (!got.has(path)) problems.push(`missing field ${path}`);
  return problems;
}
