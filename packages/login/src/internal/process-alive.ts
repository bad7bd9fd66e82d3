/**
 * True when a process with this pid exists on this host (`EPERM` means it exists but belongs to
 * another user). Used to judge lock files and temp files left by writers that died.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
