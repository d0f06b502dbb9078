/** Names of the transactional outbox: a leaf module shared by the writer, the signal and the relay. */

/** The services that publish events; each has an `outbox` table in its own schema. */
export type OutboxSchemaName = "orders" | "inventory" | "payment" | "shipping";

/** `"<schema>"."outbox"`, from a closed set (schema names are never user input). */
export function outboxTable(schema: OutboxSchemaName): string {
  return `"${schema}"."outbox"`;
}

/** The PostgreSQL NOTIFY channel a schema's relay listens on. */
export function outboxChannel(schema: OutboxSchemaName): string {
  return `outbox_${schema}`;
}
