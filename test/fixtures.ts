// Where the shared public fixtures live: PLEXUS_FIXTURES when set; else
// ../shared/fixtures beside the repository (the layout developers have); else,
// for a clone made elsewhere (CI clones into a temporary folder), beside the
// checkout it was cloned from. One place knows it, and a missing folder fails
// once, saying where it looked and what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));

/** The local path this repository was cloned from, if it was cloned from one. */
function originCheckout(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repo, encoding: 'utf8' }).trim().replace(/^file:\/\//, '');
    return isAbsolute(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

function locate(): string {
  if (process.env.PLEXUS_FIXTURES) return resolve(process.env.PLEXUS_FIXTURES);
  const candidates = [resolve(repo, '../shared/fixtures')];
  const origin = originCheckout();
  if (origin) candidates.push(resolve(origin, '../shared/fixtures'));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`test fixtures not found at ${candidates.join(' or ')}: check out shared/ beside the repository, or set PLEXUS_FIXTURES to its fixtures folder`);
  return found;
}

const root = locate();

/** Absolute path of a file or folder under the shared fixtures (folders end with `/`). */
export function fixturePath(relative: string): string {
  const path = join(root, relative);
  return relative.endsWith('/') ? `${path}/` : path;
}
