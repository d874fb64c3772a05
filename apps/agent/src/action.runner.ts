import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { constants } from 'node:os';
import {
  type ActionReport,
  type JobAction,
  jobLimits,
  linuxUserPattern,
  OutputCapture,
  reportTextLimit,
} from '@taskinbox/device-protocol';

/** A Linux user to run as, from the passwd database. */
interface RunUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export class RunAsRefused extends Error {}

const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The user `name`, if this agent may run jobs as it. */
export function resolveUser(name: string, allowed: string[]): RunUser {
  if (!linuxUserPattern.test(name)) throw new RunAsRefused(`'${name}' is not a user name`);
  if (!allowed.includes(name))
    throw new RunAsRefused(`this agent may not run jobs as '${name}' (TASKINBOX_AGENT_ALLOWED_USERS: ${allowed.join(', ')})`);
  const me = userInfo();
  if (process.getuid?.() !== 0 && name !== me.username)
    throw new RunAsRefused(`the agent runs as '${me.username}', not root, so it cannot run jobs as '${name}'`);
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new RunAsRefused(`there is no user '${name}' on this machine`);
  }
  const [, , uid, gid, , home] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

export interface ActionContext {
  user: RunUser;
  /** The run's private directory (its cwd; scripts are written there). */
  dir: string;
  env: Record<string, string>;
  outputMaxBytes: number;
  killGraceMs: number;
  /** Aborted when the run is cancelled: the action's process group is stopped like a timeout. */
  cancelled: AbortSignal;
  /** The agent's clock, for finishedAt. */
  now: () => Date;
}

/** A private directory for one run, owned by its user. */
export function runDirectory(user: RunUser): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'taskinbox-run-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) chownSync(dir, user.uid, user.gid);
  return dir;
}

export const removeRunDirectory = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** Runs one action; never throws: a failure is a report with ok false. */
export async function runAction(action: JobAction, context: ActionContext): Promise<ActionReport> {
  const started = Date.now();
  const finish = (result: Omit<ActionReport, 'durationMs' | 'finishedAt'>): ActionReport => ({
    ...result,
    durationMs: Date.now() - started,
    finishedAt: context.now().toISOString(),
  });
  try {
    switch (action.type) {
      case 'HTTP_REQUEST':
        return finish(await httpRequest(action, context));
      case 'SCRIPT': {
        const file = path.join(context.dir, 'script');
        writeFileSync(file, action.content, { mode: 0o700 });
        if (process.getuid?.() === 0) chownSync(file, context.user.uid, context.user.gid);
        return finish(await processAction(action.interpreter, [file], {}, action.timeoutSeconds, context));
      }
      case 'COMMAND': {
        const env = Object.fromEntries((action.environment ?? []).map(({ key, value }) => [key, value]));
        return finish(await processAction(action.command, action.arguments ?? [], env, action.timeoutSeconds, context));
      }
      case 'READ_FILE':
        return finish(
          await processAction('/bin/cat', ['--', action.path], {}, action.timeoutSeconds, {
            ...context,
            outputMaxBytes: Math.min(action.maxBytes, jobLimits.maxReadBytes),
          }, 'head'),
        );
    }
  } catch (error) {
    return finish({ code: null, ok: false, output: '', error: (error as Error).message, truncated: false });
  }
}

/**
 * Spawns the command as the run's user in a process group of its own, streams stdout and stderr
 * into capped head+tail buffers, and on timeout or cancellation sends SIGTERM to the whole group,
 * then SIGKILL after the grace period.
 */
function processAction(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutSeconds: number,
  context: ActionContext,
  mode: 'head+tail' | 'head' = 'head+tail',
): Promise<Omit<ActionReport, 'durationMs' | 'finishedAt'>> {
  const output = new OutputCapture(context.outputMaxBytes, mode);
  const error = new OutputCapture(context.outputMaxBytes);
  const root = process.getuid?.() === 0;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: context.dir,
        env: { ...context.env, ...env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(root ? { uid: context.user.uid, gid: context.user.gid } : {}),
      });
    } catch (spawnError) {
      resolve({ code: null, ok: false, output: '', error: (spawnError as Error).message, truncated: false });
      return;
    }
    let stopped: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: string): void => {
      if (stopped || child.pid === undefined) return;
      stopped = why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), context.killGraceMs);
    };
    const timeout = setTimeout(
      () => stop(`timed out after ${timeoutSeconds} s: SIGTERM to its process group, SIGKILL ${context.killGraceMs / 1000} s later if still running`),
      timeoutSeconds * 1000,
    );
    const onCancel = (): void => stop('the run was cancelled: SIGTERM to its process group, then SIGKILL');
    context.cancelled.addEventListener('abort', onCancel);
    if (context.cancelled.aborted) onCancel();
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk);
      // A file is read only as far as its cap.
      if (mode === 'head' && output.truncated && !stopped) {
        stopped = 'done';
        signalGroup(child.pid!, 'SIGKILL');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => error.push(chunk));
    let spawnFailure: string | undefined;
    child.once('error', (failure) => (spawnFailure = failure.message));
    child.once('close', (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      context.cancelled.removeEventListener('abort', onCancel);
      const exit = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
      const readToCap = stopped === 'done';
      const note = readToCap ? undefined : (stopped ?? spawnFailure);
      const limit = reportTextLimit(context.outputMaxBytes);
      const errorText = note ? `${note}\n${error.text()}`.slice(0, limit) : error.text();
      resolve({
        code: spawnFailure ? null : readToCap ? 0 : exit,
        ok: !note && (readToCap || exit === 0),
        output: output.text(),
        error: errorText,
        truncated: output.truncated || error.truncated,
      });
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

async function httpRequest(
  action: Extract<JobAction, { type: 'HTTP_REQUEST' }>,
  context: ActionContext,
): Promise<Omit<ActionReport, 'durationMs' | 'finishedAt'>> {
  const headers = new Headers();
  for (const header of action.headers ?? []) {
    const at = header.indexOf(':');
    headers.append(header.slice(0, at).trim(), header.slice(at + 1).trim());
  }
  let body: string | undefined = action.body;
  if (body === undefined && action.form?.length) {
    body = new URLSearchParams(action.form.map(({ key, value }) => [key, value])).toString();
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  const signal = AbortSignal.any([AbortSignal.timeout(action.timeoutSeconds * 1000), context.cancelled]);
  const output = new OutputCapture(context.outputMaxBytes);
  try {
    const response = await fetch(action.url, { method: action.method, headers, body, signal, redirect: 'manual' });
    if (response.body) for await (const chunk of response.body) output.push(Buffer.from(chunk));
    const ok = response.status < 400;
    return {
      code: response.status,
      ok,
      output: output.text(),
      error: ok ? '' : `${action.method} ${action.url} answered ${response.status} ${response.statusText}`,
      truncated: output.truncated,
    };
  } catch (error) {
    const reason = context.cancelled.aborted
      ? 'the run was cancelled'
      : (error as Error).name === 'TimeoutError'
        ? `timed out after ${action.timeoutSeconds} s`
        : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    return { code: null, ok: false, output: output.text(), error: `${action.method} ${action.url}: ${reason}`, truncated: output.truncated };
  }
}

/** The environment of every action: nothing of the agent's own (it may hold secrets). */
export function baseEnvironment(user: RunUser, runId: string, jobId: string): Record<string, string> {
  return {
    PATH: defaultPath,
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    LANG: 'C.UTF-8',
    TASKINBOX_RUN_ID: runId,
    TASKINBOX_JOB_ID: jobId,
  };
}
