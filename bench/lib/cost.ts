// What a stretch of load cost, in units another process on the machine cannot move: CPU time of
// the backend's Node process and of the whole Postgres server (every one of its processes), write
// transactions (transaction ids assigned) and WAL written. Divided by the requests answered, these
// compare two runs on a busy machine, where throughput and latency do not.
import fs from 'node:fs/promises';
import pg from 'pg';

/** Counters at one moment. */
export interface CostSnapshot {
  nodeCpuMs: number;
  /** Null when the Postgres server is not a process on this machine. */
  postgresCpuMs: number | null;
  /** Next transaction id: the difference counts the write transactions (each one commit). */
  nextXid: number;
  walLsn: string;
}

/** What one request cost on average, between two snapshots. */
export interface CostPerRequest {
  requests: number;
  nodeCpuMs: number;
  postgresCpuMs: number | null;
  writeTransactions: number;
  walKb: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

// utime, stime (and with `children`, cutime, cstime) of a process, in ms; fields after the name's ')'.
async function cpuMsOf(pid: number, children = false): Promise<{ ms: number; ppid: number } | null> {
  let stat: string;
  try {
    stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return { ms: ticks * TICK_MS, ppid: Number(f[1]) };
}

// The server's CPU: the postmaster's own and its reaped children's, plus each live child's.
async function serverCpuMs(postmasterPid: number): Promise<number | null> {
  const own = await cpuMsOf(postmasterPid, true);
  if (!own) return null;
  let total = own.ms;
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = await cpuMsOf(Number(entry));
    if (p && p.ppid === postmasterPid) total += p.ms;
  }
  return total;
}

/** Takes snapshots of the backend process `nodePid` and the Postgres server behind `databaseUrl`. */
export async function costMeter(databaseUrl: string, nodePid: number): Promise<{ snapshot(): Promise<CostSnapshot>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-cost' });
  await client.connect();
  const backendPid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  const postmasterPid = (await cpuMsOf(backendPid))?.ppid;
  return {
    async snapshot() {
      const [node, server, row] = await Promise.all([
        cpuMsOf(nodePid),
        postmasterPid ? serverCpuMs(postmasterPid) : Promise.resolve(null),
        client.query<{ xid: string; lsn: string }>('select pg_snapshot_xmax(pg_current_snapshot())::text as xid, pg_current_wal_lsn()::text as lsn'),
      ]);
      return { nodeCpuMs: node?.ms ?? 0, postgresCpuMs: server, nextXid: Number(row.rows[0]!.xid), walLsn: row.rows[0]!.lsn };
    },
    close: () => client.end(),
  };
}

function lsnBytes(lsn: string): number {
  const [hi, lo] = lsn.split('/');
  return parseInt(hi!, 16) * 2 ** 32 + parseInt(lo!, 16);
}

/** The average cost of one of `requests` requests made between `a` and `b`. */
export function costPerRequest(a: CostSnapshot, b: CostSnapshot, requests: number): CostPerRequest {
  const per = (v: number) => Math.round((v / Math.max(1, requests)) * 100) / 100;
  return {
    requests,
    nodeCpuMs: per(b.nodeCpuMs - a.nodeCpuMs),
    postgresCpuMs: a.postgresCpuMs === null || b.postgresCpuMs === null ? null : per(b.postgresCpuMs - a.postgresCpuMs),
    writeTransactions: per(b.nextXid - a.nextXid),
    walKb: per((lsnBytes(b.walLsn) - lsnBytes(a.walLsn)) / 1024),
  };
}
