// What a stretch of load cost, in units another process on the machine cannot move: CPU time of
// the backend's Node process and of the whole Postgres server (every one of its processes), write
// transactions (transaction ids assigned) and WAL written. Divided by the requests answered, these
// compare two runs on a busy machine, where throughput and latency do not.
import pg from 'pg';
import { cpuSample, postmasterPid } from './cpu.js';

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

/** Takes snapshots of the backend process `nodePid` and the Postgres server behind `databaseUrl`. */
export async function costMeter(databaseUrl: string, nodePid: number): Promise<{ snapshot(): Promise<CostSnapshot>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-cost' });
  await client.connect();
  // Null when the server is not a process on this machine (a remote DATABASE_URL).
  const serverPid = await postmasterPid(client).catch(() => null);
  return {
    async snapshot() {
      const row = await client.query<{ xid: string; lsn: string }>('select pg_snapshot_xmax(pg_current_snapshot())::text as xid, pg_current_wal_lsn()::text as lsn');
      const cpu = cpuSample([nodePid], serverPid ?? 0);
      return { nodeCpuMs: cpu.nodeMs, postgresCpuMs: serverPid === null ? null : cpu.postgresMs, nextXid: Number(row.rows[0]!.xid), walLsn: row.rows[0]!.lsn };
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
