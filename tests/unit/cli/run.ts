/** Runs a command-line tool as a child process, the way a user runs it (from the repository root). */
import { spawn } from 'node:child_process';
import { REPO } from '../support';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI script and collects its output (never rejects: the exit status is part of the result). */
export function cli(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
