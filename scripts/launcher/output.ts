import readline from "node:readline";
import type { Readable } from "node:stream";

/** Where launcher and child lines go (stdout by default; tests may collect or silence them). */
export type LineSink = (line: string) => void;

const COLORS = [36, 33, 35, 32, 34, 31]; // cyan, yellow, magenta, green, blue, red
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;

/** `[name] ` padded to align columns, coloured per process when writing to a terminal. */
export function prefixFor(name: string, index: number, width = 12): string {
  const label = `[${name}]`.padEnd(width + 2);
  return useColor ? `\x1b[${COLORS[index % COLORS.length]}m${label}\x1b[0m ` : `${label} `;
}

/** Forwards every line of `stream` to `sink` with `prefix`. */
export function pipeLines(stream: Readable, prefix: string, sink: LineSink): void {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => sink(`${prefix}${line}`));
}

/** The default sink. */
export const stdoutSink: LineSink = (line) => process.stdout.write(`${line}\n`);
