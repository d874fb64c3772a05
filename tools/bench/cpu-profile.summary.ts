import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a V8 .cpuprofile holds that the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ModuleShare {
  module: string;
  ms: number;
  share: number;
}

/**
 * The module a frame's code belongs to: a package under node_modules (scoped ones whole), one of
 * our libs or apps, Node's own code, or V8's pseudo-frames ((garbage collector), (program), (idle)).
 */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return '(node core)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
  if (pkg) return pkg[1];
  const ours = /\/(libs|apps|tools)\/([^/]+)\//.exec(path);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return '(other)';
}

/** Self time per module over the profile, largest first; idle time is left out of the shares. */
export function summariseCpuProfile(file: string): { busyMs: number; idleMs: number; modules: ModuleShare[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const moduleByNode = new Map(profile.nodes.map((node) => [node.id, moduleOf(node.callFrame.url, node.callFrame.functionName)]));
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const module = moduleByNode.get(id) ?? '(other)';
    micros.set(module, (micros.get(module) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const idle = micros.get('(idle)') ?? 0;
  micros.delete('(idle)');
  const busy = [...micros.values()].reduce((sum, value) => sum + value, 0);
  const modules = [...micros.entries()]
    .map(([module, us]) => ({ module, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busy / 1000, idleMs: idle / 1000, modules };
}

/** The top `count` modules as bench lines, the rest summed in one. */
export function printCpuProfile(title: string, file: string, count = 12): void {
  const { busyMs, idleMs, modules } = summariseCpuProfile(file);
  const wall = busyMs + idleMs;
  console.log(`\n${title}: CPU self time by module (${(busyMs / 1000).toFixed(1)} s busy of ${(wall / 1000).toFixed(1)} s sampled)`);
  for (const { module, ms, share } of modules.slice(0, count)) {
    console.log(`  ${module.padEnd(40)} ${(share * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(7)} ms`);
  }
  const rest = modules.slice(count);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, item) => sum + item.ms, 0);
    console.log(`  ${`(${rest.length} more)`.padEnd(40)} ${((ms / busyMs) * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(7)} ms`);
  }
}
