/**
 * Loaded with `node --import` into every process the launcher starts (services, collector, the
 * Next.js dashboard), so that nothing outlives its launcher. The launcher gives each child a stdin
 * pipe it never writes to; the kernel closes that pipe when the launcher ends, however it ended
 * (Ctrl-C, a closed terminal, SIGKILL, an OOM kill). On EOF the child shuts itself down: SIGTERM to
 * itself (its own graceful path: flush spans, close queues, deregister), then, after
 * SWITCHYARD_ORPHAN_GRACE_MS, SIGKILL to its whole process group (it leads one: spawned detached).
 * Plain JavaScript (no tsx) because `next` loads it too. Inactive unless the launcher set
 * SWITCHYARD_LAUNCHER_PIPE=stdin, so running an entry by hand keeps its terminal's stdin alone.
 * Why not a library: the packages that do this poll the parent pid, which misses a launcher whose
 * pid was reused and costs a timer in every process; a pipe's EOF is exact and free.
 */
const isLaunched = process.env.SWITCHYARD_LAUNCHER_PIPE === "stdin";
// Only the launcher's direct child watches the pipe: a process it forks (next dev's server) may
// get another stdin, and is ended with its process group anyway.
delete process.env.SWITCHYARD_LAUNCHER_PIPE;
if (isLaunched && process.stdin) {
  const graceMs = Number(process.env.SWITCHYARD_ORPHAN_GRACE_MS) || 4_000;
  let gone = false;
  const onLauncherGone = () => {
    if (gone) return;
    gone = true;
    console.error(`launcher is gone: shutting down (forced after ${graceMs} ms)`);
    setTimeout(() => {
      console.error(`shutdown did not finish within ${graceMs} ms; killing the process group`);
      try {
        process.kill(-process.pid, "SIGKILL");
      } catch {
        process.exit(1);
      }
    }, graceMs).unref();
    process.kill(process.pid, "SIGTERM");
  };
  process.stdin.on("end", onLauncherGone);
  process.stdin.on("close", onLauncherGone);
  process.stdin.on("error", onLauncherGone);
  process.stdin.resume();
  // The pipe must not keep an otherwise finished process alive.
  if (typeof process.stdin.unref === "function") process.stdin.unref();
}
