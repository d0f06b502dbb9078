/** @type {import('next').NextConfig} */
const nextConfig = {
  // Prisma's driver adapter and node-postgres load native/dynamic modules: keep them external.
  // BullMQ/ioredis (dead-letter replay from server/dlq) likewise run as plain Node modules.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "bullmq", "ioredis"],
  typescript: {
    // Next type-checks only what the dashboard bundles; the whole repo (services, scripts,
    // benches) is checked by `npm run typecheck`. This also keeps Next from rewriting tsconfig.json.
    tsconfigPath: "tsconfig.dashboard.json",
  },
};

export default nextConfig;
