/** Runs a command-line tool as a child process, the way a user runs it (from the repository root). */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The Node options package.json's script for `script` runs it with (as `npm run` does), else tsx's loader alone. */
function nodeOptions(script: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = Object.values(scripts).find((c) => c.startsWith('node ') && c.endsWith(` ${script}`));
  return command ? command.slice('node '.length, -script.length - 1).split(' ') : ['--import', 'tsx'];
}

/** Runs a CLI script and collects its output (never rejects: the exit status is part of the result). */
export function cli(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions(script), script, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
