import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the built UI lives. */
export const UI_DIST = fileURLToPath(new URL('../../ui/dist/', import.meta.url));
const UI_SOURCE = fileURLToPath(new URL('../../ui/package.json', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the UI once in a fresh checkout, so the start command alone shows a map. */
export function ensureUiBuilt(log: (msg: string) => void): void {
  if (existsSync(UI_DIST + 'index.html') || !existsSync(UI_SOURCE)) return;
  log('building the UI (first start only)…');
  const r = spawnSync('npm', ['run', 'build', '--workspace', 'ui'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) log('UI build failed; GraphQL still works at /graphql');
}
