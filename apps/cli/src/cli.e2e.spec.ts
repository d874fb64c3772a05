import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { Pool } from 'pg';

// The built CLI (npm test builds dist/ first) and npm start's scripts, against a fresh database.
jest.setTimeout(30_000);
const run = promisify(execFile);

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('cli');
  pool = new Pool({ connectionString: database.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const env = () => ({ ...process.env, DATABASE_URL: database.url, PUBLIC_URL: 'https://tasks.example.test', LOG_LEVEL: 'silent' });
const cli = async (...args: string[]) => (await run('node', ['dist/apps/cli/src/main.js', ...args], { env: env() })).stdout;
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('operator CLI and npm start', () => {
  it('keeps local secrets and the first admin password owner-only; the file goes once the password is changed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'taskinbox-secrets-')), '.taskinbox');
    await run('bash', ['tools/local-secrets.sh', dir]);
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, 'env'))).toBe('600');
    expect(readFileSync(join(dir, 'env'), 'utf8')).toMatch(/^JWT_SECRET=.{32,}\nWEBHOOK_SECRET_KEY=/);

    await run('bash', ['tools/first-admin.sh', dir], { env: env() });
    const first = JSON.parse(readFileSync(join(dir, 'first-admin.json'), 'utf8'));
    expect(first).toMatchObject({ created: true, email: 'admin@taskinbox.local', mustChangePassword: true });
    expect(mode(join(dir, 'first-admin.json'))).toBe('600');
    const { rows } = await pool.query('SELECT must_change_password FROM users WHERE email = $1', [first.email]);
    expect(rows).toEqual([{ must_change_password: true }]);

    // Removed once the generated password was changed.
    await pool.query('UPDATE users SET must_change_password = false WHERE email = $1', [first.email]);
    await run('bash', ['tools/first-admin.sh', dir], { env: env() });
    expect(() => statSync(join(dir, 'first-admin.json'))).toThrow();

    // An older checkout's files, readable by anyone, are tightened.
    await run('chmod', ['644', join(dir, 'env')]);
    await run('bash', ['tools/local-secrets.sh', dir]);
    expect(mode(join(dir, 'env'))).toBe('600');
  });

  it('invites and issues reset links, never taking or printing a password of its choosing', async () => {
    await cli('org:create', '--slug', 'cli-org', '--name', 'CLI Org');
    const invited = JSON.parse(await cli('user:invite', '--org', 'cli-org', '--email', 'Ann@Example.test', '--role', 'member'));
    expect(invited).toMatchObject({ email: 'ann@example.test', role: 'member', organisation: 'cli-org' });
    expect(invited.link).toMatch(/^https:\/\/tasks\.example\.test\/invitation#[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(invited)).not.toMatch(/password/i);

    await expect(cli('user:create', '--org', 'cli-org', '--email', 'x@example.test', '--name', 'X', '--role', 'admin')).rejects.toMatchObject({
      stderr: expect.stringContaining("Unknown command 'user:create'"),
    });
    const reset = JSON.parse(await cli('user:reset-password', '--email', 'admin@taskinbox.local'));
    expect(reset.link).toMatch(/^https:\/\/tasks\.example\.test\/reset-password#[A-Za-z0-9_-]{43}$/);
  });
});
