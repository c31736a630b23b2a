import { z } from 'zod';
import type { CatalogError } from '../model/entity.ts';

// decK files and Admin API answers carry many keys Plexus does not read
// (plugins, timeouts, credentials…): every object is loose, and the fields we
// read are optional and nullable, because the Admin API writes `null` for unset ones.
const text = z.string().nullish();
const list = z.array(z.string()).nullish();

/** A Kong route as written in decK (nested under a service or top-level) or answered by the Admin API. */
export const RouteSchema = z.looseObject({
  id: text,
  name: text,
  paths: list,
  methods: list,
  hosts: list,
  protocols: list,
  strip_path: z.boolean().nullish(),
  expression: text,
  tags: list,
  // decK: `service: orders` or `service: { name: orders }`; Admin API: `service: { id: … }`.
  service: z.union([z.string(), z.looseObject({ name: text, id: text })]).nullish(),
});

/** A Kong service; decK also accepts `url` in place of protocol/host/port/path. */
export const ServiceSchema = z.looseObject({
  id: text,
  name: text,
  host: text,
  port: z.number().int().nullish(),
  protocol: text,
  path: text,
  url: text,
  tags: list,
  routes: z.array(z.unknown()).nullish(),
});

/** A Kong consumer. */
export const ConsumerSchema = z.looseObject({
  id: text,
  username: text,
  custom_id: text,
  tags: list,
});

/** The top of a decK file; items are validated one by one so one bad item spares the rest. */
export const DeckFileSchema = z.looseObject({
  // Usually quoted ("3.0"), but an unquoted 3.0 is a YAML number.
  _format_version: z.union([z.string(), z.number()]),
  services: z.array(z.unknown()).nullish(),
  routes: z.array(z.unknown()).nullish(),
  consumers: z.array(z.unknown()).nullish(),
});

/** One page of an Admin API list (`GET /services`, …). */
export const AdminPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  offset: z.string().nullish(),
  next: z.string().nullish(),
});

/** Where a Kong object was found: a decK file position, or the Admin API URL of the object (line 0). */
export interface KongAt {
  file: string;
  document: number;
  line: number;
  /** Dotted path of the object in its source, e.g. `services[0].routes[1]`; empty for an Admin API object. */
  field: string;
}

/** A Kong service, as far as Plexus uses it. */
export interface KongService {
  id: string | undefined;
  name: string | undefined;
  /** Upstream host, without port. */
  host: string | undefined;
  port: number | undefined;
  protocol: string | undefined;
  path: string | undefined;
  tags: string[];
  at: KongAt;
}

/** A Kong route with its service reference unresolved (routes may name services from other files). */
export interface KongRoute {
  id: string | undefined;
  name: string | undefined;
  service: { name?: string; id?: string } | undefined;
  paths: Array<{ path: string; at: KongAt }>;
  /** Undefined when the route matches every method. */
  methods: string[] | undefined;
  hosts: string[];
  protocols: string[] | undefined;
  stripPath: boolean;
  expression: string | undefined;
  tags: string[];
  at: KongAt;
}

/** A Kong consumer. */
export interface KongConsumer {
  id: string | undefined;
  username: string | undefined;
  customId: string | undefined;
  tags: string[];
  at: KongAt;
}

/** What one or more decK files, or one Admin API, hold; problems are located. */
export interface KongConfig {
  services: KongService[];
  routes: KongRoute[];
  consumers: KongConsumer[];
  problems: CatalogError[];
}

/** Merges configs read from several files into one (routes may reference services across files). */
export function mergeKongConfigs(configs: readonly KongConfig[]): KongConfig {
  return {
    services: configs.flatMap((c) => c.services),
    routes: configs.flatMap((c) => c.routes),
    consumers: configs.flatMap((c) => c.consumers),
    problems: configs.flatMap((c) => c.problems),
  };
}
