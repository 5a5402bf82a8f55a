// A parent killed outright (SIGKILL to `npm`, a closed terminal) signals nobody: its children are
// handed to init (or a subreaper) and their parent pid changes. Under `npm run` a shell (`sh -c`)
// sits between npm and this process, and that shell outlives a killed npm because it is waiting
// for us: there npm itself is watched too.
import fs from 'node:fs';

/** Calls `onGone` once the parent process (or, under `npm run`, npm) has died; checked once a second. */
export function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const npm = npmAbove(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && (npm === undefined || isAlive(npm))) return;
    clearInterval(timer);
    onGone();
  }, 1_000);
  timer.unref();
}

// The npm process above `shell` when `shell` is the one npm started for a script (Linux /proc only).
function npmAbove(shell: number): number | undefined {
  try {
    if (!['sh', 'dash', 'bash', 'zsh'].includes(fs.readFileSync(`/proc/${shell}/comm`, 'utf8').trim())) return undefined;
    const ppid = parentOf(shell);
    return ppid > 1 && /^npm\b/.test(fs.readFileSync(`/proc/${ppid}/comm`, 'utf8')) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
