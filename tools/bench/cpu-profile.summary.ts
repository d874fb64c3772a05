import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a V8 .cpuprofile holds that the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string; lineNumber?: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ModuleShare {
  module: string;
  ms: number;
  share: number;
}

export interface FunctionShare {
  /** `name (file:line)`, the file relative to its package or lib. */
  name: string;
  module: string;
  ms: number;
  share: number;
}

/**
 * The module a frame's code belongs to: a package under node_modules (scoped ones whole), one of
 * our libs or apps, Node's own code, or V8's pseudo-frames ((garbage collector), (program), (idle)).
 * Undefined for V8 builtins and native code (JSON.parse, a socket write): those count for their caller.
 */
export function moduleOf(url: string, functionName: string): string | undefined {
  if (!url) return functionName.startsWith('(') && functionName !== '(root)' ? functionName : undefined;
  if (url.startsWith('node:')) return '(node core)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
  if (pkg) return pkg[1];
  if (path.includes('/tools/bench/')) return profilerModule;
  const ours = /\/(libs|apps)\/([^/]+)\//.exec(path);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return '(other)';
}

// The bench's own sampling session (cpu.profiler.ts): left out of the shares.
const profilerModule = '(profiler)';

/**
 * Self time per module over the profile, largest first. Native code is charged to the module
 * that called it, through Node's own frames (a pg query's socket write is pg's); idle time and
 * the profiler's own work are left out of the shares.
 */
export function summariseCpuProfile(file: string): { busyMs: number; idleMs: number; modules: ModuleShare[]; functions: FunctionShare[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ownModule = new Map(profile.nodes.map((node) => [node.id, moduleOf(node.callFrame.url, node.callFrame.functionName)]));
  const charged = new Map<number, string>();
  const chargedTo = (id: number): string => {
    const known = charged.get(id);
    if (known) return known;
    const own = ownModule.get(id);
    // Node's own frames between a caller and the native work (net, streams) pass it on up.
    let module = own;
    if (own === undefined || own === '(node core)') {
      const parent = parentOf.get(id);
      const above = parent === undefined || byId.get(parent)?.callFrame.functionName === '(root)' ? undefined : chargedTo(parent);
      module = above && above !== '(node core)' ? above : (own ?? above ?? '(native, no caller)');
    }
    charged.set(id, module!);
    return module!;
  };
  // The function a sample counts for: the frame itself, or for native code and Node's own frames
  // the nearest caller of the module it is charged to (a socket write counts for pg's query).
  const chargedFunction = (id: number): number => {
    const module = chargedTo(id);
    let at: number | undefined = id;
    while (at !== undefined && ownModule.get(at) !== module) at = parentOf.get(at);
    return at ?? id;
  };
  const micros = new Map<string, number>();
  const functionMicros = new Map<string, { module: string; us: number }>();
  profile.samples.forEach((id, index) => {
    const module = chargedTo(id);
    const us = profile.timeDeltas[index] ?? 0;
    micros.set(module, (micros.get(module) ?? 0) + us);
    const name = functionName(byId.get(chargedFunction(id))!.callFrame);
    const entry = functionMicros.get(name) ?? { module, us: 0 };
    entry.us += us;
    functionMicros.set(name, entry);
  });
  const idle = micros.get('(idle)') ?? 0;
  micros.delete('(idle)');
  micros.delete(profilerModule);
  const busy = [...micros.values()].reduce((sum, value) => sum + value, 0);
  const modules = [...micros.entries()]
    .map(([module, us]) => ({ module, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
  const functions = [...functionMicros.entries()]
    .filter(([, { module }]) => module !== '(idle)' && module !== profilerModule)
    .map(([name, { module, us }]) => ({ name, module, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busy / 1000, idleMs: idle / 1000, modules, functions };
}

/** `name (file:line)`, the file shortened to what follows its package or lib folder. */
function functionName(frame: { url: string; functionName: string; lineNumber?: number }): string {
  if (!frame.url) return frame.functionName || '(anonymous)';
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const short = /(?:node_modules|libs|apps)\/(?!.*(?:node_modules|libs|apps)\/)(.*)$/.exec(path)?.[1] ?? path;
  return `${frame.functionName || '(anonymous)'} (${short}:${(frame.lineNumber ?? 0) + 1})`;
}

/** The top `count` modules as bench lines, the rest summed in one; then the top `functionCount` functions by self time. */
export function printCpuProfile(title: string, file: string, count = 12, functionCount = 25): void {
  const { busyMs, idleMs, modules, functions } = summariseCpuProfile(file);
  const wall = busyMs + idleMs;
  console.log(`\n${title}: CPU by module, native work charged to its caller (${(busyMs / 1000).toFixed(1)} s busy of ${(wall / 1000).toFixed(1)} s sampled)`);
  for (const { module, ms, share } of modules.slice(0, count)) {
    console.log(`  ${module.padEnd(40)} ${(share * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(7)} ms`);
  }
  const rest = modules.slice(count);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, item) => sum + item.ms, 0);
    console.log(`  ${`(${rest.length} more)`.padEnd(40)} ${((ms / busyMs) * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(7)} ms`);
  }
  console.log(`  top functions by self time, native work charged to its caller:`);
  for (const { name, module, ms, share } of functions.slice(0, functionCount)) {
    console.log(`    ${(share * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(6)} ms  ${module.padEnd(22)} ${name}`);
  }
}
