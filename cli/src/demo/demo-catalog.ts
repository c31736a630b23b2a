import { fileURLToPath } from 'node:url';

/** The demo shop's Backstage catalog, imported alongside its traffic. */
export const DEMO_CATALOG = fileURLToPath(new URL('./catalog/catalog-info.yaml', import.meta.url));
