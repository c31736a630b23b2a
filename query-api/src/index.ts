export { createPlexusYoga, type YogaOptions } from './yoga.ts';
export { createAuthenticator, decide, httpAuthorizer, permits, type Authenticator, type Principal, type Role, type TokenEntry } from './auth/authenticate.ts';
export { createStaticHandler } from './static-files.ts';
export { buildGraph, nodeId, type Graph } from './analytics/graph.ts';
export { readEdges } from './analytics/edges.ts';
export { readServiceRed } from './analytics/red.ts';
export { parseWindow } from './analytics/window.ts';
