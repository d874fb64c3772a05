import { existsSync, readFileSync } from 'node:fs';
import { arch, hostname, release } from 'node:os';
import type { DeviceFacts } from '@taskinbox/device-protocol';

export const agentVersion = '0.1.0';

/** What the server shows about this machine. */
export function deviceFacts(): DeviceFacts {
  let os = 'Linux';
  if (existsSync('/etc/os-release')) {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) os = pretty[1];
  }
  const clip = (text: string, max: number) => text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max) || 'unknown';
  return {
    hostname: clip(hostname(), 253),
    os: clip(os, 200),
    kernel: clip(release(), 200),
    arch: clip(arch(), 50),
    agentVersion,
  };
}
