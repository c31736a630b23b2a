// Reads another process's memory and CPU from /proc, so Plexus is measured
// apart from the load generator sharing the machine.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Resident set size of a process in bytes (VmRSS), or NaN once it has exited. */
export function readRssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** User + system CPU seconds a process has used so far, all threads included. */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** Peak and last RSS of one process, sampled on an interval. */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  peakBytes = 0;
  lastBytes = NaN;
  samples = 0;

  constructor(pid: number, intervalMs = 500) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    const rss = readRssBytes(this.#pid);
    if (!Number.isFinite(rss)) return;
    this.lastBytes = rss;
    this.peakBytes = Math.max(this.peakBytes, rss);
    this.samples++;
  }

  /** Takes one last sample and stops. */
  stop(): void {
    this.#sample();
    clearInterval(this.#timer);
  }
}
