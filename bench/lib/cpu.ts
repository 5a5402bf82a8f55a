// CPU time of the processes under test, from /proc (Linux): a Node process with its children, and
// the Postgres server (every backend, live or exited), so a figure can be stated as CPU per unit of
// work, which a busy shared machine distorts far less than a rate.
import fs from 'node:fs';
import type pg from 'pg';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux.

function stat(pid: number): { ppid: number; own: number; reaped: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces) start after its closing parenthesis.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i - 3]);
  return { ppid: n(4), own: (n(14) + n(15)) * TICK_MS, reaped: (n(16) + n(17)) * TICK_MS };
}

function childrenOf(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    const list = map.get(s.ppid) ?? [];
    list.push(pid);
    map.set(s.ppid, list);
  }
  return map;
}

/** CPU ms (user + system) a process itself has used so far; 0 once it is gone. */
export function ownCpuMs(pid: number): number {
  return stat(pid)?.own ?? 0;
}

/** CPU ms used so far by a process and all its descendants (live ones, plus children they reaped). */
export function treeCpuMs(rootPid: number, children = childrenOf()): number {
  const s = stat(rootPid);
  if (!s) return 0;
  return s.own + s.reaped + (children.get(rootPid) ?? []).reduce((sum, c) => sum + treeCpuMs(c, children), 0);
}

/** The pid of the Postgres server a client is connected to (the parent of its backend). */
export async function postmasterPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const parent = stat(Number(rows[0]!.pid))?.ppid;
  if (!parent) throw new Error('cannot read the Postgres server process (not on this machine?)');
  return parent;
}

/** One reading of the CPU used by the Node processes under test and by the Postgres server. */
export function cpuSample(nodePids: readonly number[], pgPid: number): { nodeMs: number; postgresMs: number; at: number } {
  const children = childrenOf();
  return { nodeMs: nodePids.reduce((sum, p) => sum + treeCpuMs(p, children), 0), postgresMs: treeCpuMs(pgPid, children), at: Date.now() };
}
