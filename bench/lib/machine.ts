import os from 'node:os';

/** What the figures were measured on. */
export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  platform: string;
  /** 1/5/15-minute load averages when the run started and ended (other work on the machine). */
  loadAtStart: number[];
  loadAtEnd?: number[];
}

/** Describes this machine. */
export function describeMachine(postgresVersion: string): Machine {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: postgresVersion,
    platform: `${os.platform()} ${os.release()}`,
    loadAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
