/**
 * The import rules of docs/architecture.md ("Parts and what they may import"), checked by
 * scripts/architecture.test.ts. Type-only imports are erased at compile time, so rules about what
 * a part loads at run time skip them (`dependencyTypesNot: ["type-only"]`); cycles count them too.
 */
/** Every folder of ours (anything else resolves to node_modules or Node's core modules). */
const OURS = "^(services|server|app|scripts|bench|e2e|prisma|tests)/|^proxy\\.ts$";
const RUNTIME_ONLY = ["type-only"];

/**
 * The PostgreSQL schema each part owns: its code may load that schema's generated client
 * (prisma/generated/<schema>/, see scripts/db/generate-clients.ts) and no other. The gateway and
 * the kit own none; tests and benchmarks may read every schema.
 */
const SCHEMA_OWNERS = {
  "services/order/": "orders",
  "services/inventory/": "inventory",
  "services/payment/": "payment",
  "services/shipping/": "shipping",
  "services/notification/": "notification",
  "services/analytics/": "analytics",
  "server/": "telemetry",
};
const CLIENTS_OWNED_BY_NOBODY = ["services/(gateway|kit|contracts|shared)/", "app/", "proxy\\.ts$"];

/** A rule per owner: its non-test code loads no other schema's client. */
const schemaRules = [
  ...Object.entries(SCHEMA_OWNERS).map(([owner, schema]) => ({
    name: `only-own-schema-client:${schema}`,
    severity: "error",
    comment: `${owner} owns the ${schema} schema: it loads prisma/generated/${schema}/ and no other client.`,
    from: { path: `^${owner}`, pathNot: "\\.test\\.ts$" },
    to: { path: "^prisma/generated/", pathNot: `^prisma/generated/${schema}/` },
  })),
  {
    name: "no-schema-client",
    severity: "error",
    comment: "These parts own no schema: they reach data through a service or the dashboard's routers.",
    from: { path: CLIENTS_OWNED_BY_NOBODY.map((part) => `^${part}`), pathNot: "\\.test\\.ts$" },
    to: { path: "^prisma/generated/" },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...schemaRules,
    {
      name: "no-circular",
      severity: "error",
      comment: "Move what both modules need to a leaf module; no re-export may close a circle.",
      from: {},
      to: { circular: true },
    },
    {
      name: "contracts-import-nothing-of-ours",
      severity: "error",
      comment: "services/contracts: schemas and names only (runtime dependency: zod).",
      from: { path: "^services/contracts/" },
      to: { path: OURS, pathNot: "^services/contracts/" },
    },
    {
      name: "shared-imports-only-contracts",
      severity: "error",
      comment: "services/shared is loaded by services and the dashboard server alike.",
      from: { path: "^services/shared/" },
      to: { path: OURS, pathNot: "^services/(contracts|shared)/" },
    },
    {
      name: "kit-imports-only-contracts-and-shared",
      severity: "error",
      comment: "services/kit is what every service runs; it knows no service, no server, no app.",
      // Integration tests exercise the kit inside the running system (launcher, span store, the
      // dashboard's dead-letter replayer): they may load those; the kit's code and unit tests not.
      from: { path: "^services/kit/", pathNot: "\\.int\\.test\\.ts$" },
      to: { path: OURS, pathNot: "^services/(contracts|shared|kit)/" },
    },
    {
      name: "no-service-imports-another-service",
      severity: "error",
      comment: "A service reaches another only over tRPC or a queue; `import type` of its router is fine.",
      from: { path: "^services/([^/]+)/", pathNot: "^services/(contracts|shared|kit)/" },
      to: {
        path: "^services/([^/]+)/",
        pathNot: "^services/($1|contracts|shared|kit)/",
        dependencyTypesNot: RUNTIME_ONLY,
      },
    },
    {
      name: "server-never-loads-services",
      severity: "error",
      comment: "The dashboard server loads contracts and services/shared; routers only as `import type`.",
      from: { path: "^(server/|proxy\\.ts$)" },
      to: { path: "^services/", pathNot: "^services/(contracts|shared)/", dependencyTypesNot: RUNTIME_ONLY },
    },
    {
      name: "app-never-imports-kit",
      severity: "error",
      comment: "Pages read through server/ routers; from services only contracts and services/shared.",
      from: { path: "^app/" },
      to: {
        path: "^services/",
        pathNot: ["^services/(contracts|shared)/"],
        dependencyTypesNot: RUNTIME_ONLY,
      },
    },
    {
      name: "production-never-imports-tests",
      severity: "error",
      comment:
        "tests/ (support helpers, system tests) may import anything; no production code may import it, " +
        "not even `import type`. Test files anywhere and the fault matrix (scripts/chaos/, shared by a " +
        "system test and `npm run chaos:matrix`) are test code and may.",
      from: {
        path: "^(services|server|app|scripts)/|^proxy\\.ts$",
        pathNot: ["\\.test\\.ts$", "^scripts/chaos/"],
      },
      to: { path: "^tests/" },
    },
  ],
  options: {
    // The generated clients are leaves of the graph: their imports are Prisma's, not ours.
    doNotFollow: { path: "(^|/)(node_modules|prisma/generated)/" },
    exclude: { path: "(^|/)(node_modules|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Node's own resolution with the `.ts` extensions this code base imports with.
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".mjs", ".js", ".json"] },
  },
};
