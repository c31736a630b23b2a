// Where the shared public fixtures live: ../shared/fixtures beside the repository
// (the layout CI and developers have), or PLEXUS_FIXTURES. One place knows it,
// and a missing folder fails once, saying what to do.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.PLEXUS_FIXTURES ?? resolve(fileURLToPath(new URL('../../shared/fixtures/', import.meta.url)));
if (!existsSync(root)) {
  throw new Error(`test fixtures not found at ${root}: check out shared/ beside the repository, or set PLEXUS_FIXTURES to its fixtures folder`);
}

/** Absolute path of a file or folder under the shared fixtures (folders end with `/`). */
export function fixturePath(relative: string): string {
  const path = join(root, relative);
  return relative.endsWith('/') ? `${path}/` : path;
}
