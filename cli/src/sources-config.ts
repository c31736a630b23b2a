import { z } from 'zod';
import type { CollectorOptions, GatewayFormat } from '@plexus/collector';

/** Gateway, mesh and Zipkin sources, resolved (DESIGN.md §4, §7). */
export interface SourcesConfig {
  /** Zipkin v2 receiver port; undefined: no Zipkin listener. */
  zipkinPort: number | undefined;
  /** The one rule that maps every source's service names onto one. */
  naming: { format: 'name' | 'name.namespace'; aliases: Record<string, string> };
  /** Gateway access logs: the map node of a gateway whose log does not name its instance, and AWS field names. */
  gateways: { names: Partial<Record<GatewayFormat, string>>; awsFields: Record<string, string> };
  /** Mesh metrics pulled on an interval from scrape endpoints or Prometheus servers. */
  mesh: { intervalSeconds: number; targets: MeshTargetConfig[] };
}

/** A mesh metrics target as the collector's scraper takes it. */
type MeshTarget = NonNullable<CollectorOptions['mesh']>['targets'][number];

/** One place mesh metrics are read from. */
export interface MeshTargetConfig {
  kind: 'scrape' | 'prometheus';
  url: string;
  mesh: 'istio' | 'linkerd';
  name: string;
  workload?: string | undefined;
  namespace?: string | undefined;
}

const port = z.coerce.number().int().min(0).max(65535);
const gatewayNames = z.strictObject({ kong: z.string().min(1), envoy: z.string().min(1), istio: z.string().min(1), 'aws-apigateway': z.string().min(1), traefik: z.string().min(1) }).partial();

/** The `zipkin`, `naming`, `gateways` and `mesh` sections of plexus.yaml. */
export const sourcesSchema = {
  zipkin: z.strictObject({ port: port.optional(), enabled: z.boolean().optional() }).optional(),
  naming: z.strictObject({
    format: z.enum(['name', 'name.namespace']).optional(),
    aliases: z.record(z.string().min(1), z.string().min(1)).optional(),
  }).optional(),
  gateways: z.strictObject({
    names: gatewayNames.optional(),
    // AWS API Gateway logs follow the user's own $context template: which JSON key holds which field.
    aws: z.strictObject({ fields: z.record(z.string().min(1), z.string().min(1)).optional() }).optional(),
  }).optional(),
  mesh: z.strictObject({
    intervalSeconds: z.coerce.number().int().min(5).max(3600).optional(),
    targets: z.array(z.strictObject({
      url: z.url(),
      mesh: z.enum(['istio', 'linkerd']),
      kind: z.enum(['scrape', 'prometheus']).optional(),
      name: z.string().min(1).optional(),
      // Linkerd proxies do not label their own workload: say whose proxy this endpoint is.
      workload: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
    })).optional(),
  }).optional(),
};

/** Environment variables for these sources. */
export const sourcesEnv = {
  PLEXUS_ZIPKIN_PORT: port.optional(),
};

type FileSections = { [K in keyof typeof sourcesSchema]?: z.infer<(typeof sourcesSchema)[K]> };

/** Resolves the sections and variables into a SourcesConfig. */
export function resolveSources(file: FileSections, env: { PLEXUS_ZIPKIN_PORT?: number | undefined }): SourcesConfig {
  const zipkinOff = file.zipkin?.enabled === false;
  return {
    zipkinPort: zipkinOff ? undefined : (env.PLEXUS_ZIPKIN_PORT ?? file.zipkin?.port ?? 9411),
    naming: { format: file.naming?.format ?? 'name', aliases: file.naming?.aliases ?? {} },
    gateways: { names: file.gateways?.names ?? {}, awsFields: file.gateways?.aws?.fields ?? {} },
    mesh: {
      intervalSeconds: file.mesh?.intervalSeconds ?? 15,
      targets: (file.mesh?.targets ?? []).map((t) => ({ kind: t.kind ?? 'scrape', url: t.url, mesh: t.mesh, name: t.name ?? new URL(t.url).host, workload: t.workload, namespace: t.namespace })),
    },
  };
}

/** Parse options of one gateway format: the naming rule, the gateway's node name, AWS fields. */
export function gatewayParseOptions(s: SourcesConfig, format: GatewayFormat): { naming: SourcesConfig['naming']; defaultGatewayName?: string; aws?: Record<string, string> } {
  const name = s.gateways.names[format];
  return {
    naming: s.naming,
    ...(name ? { defaultGatewayName: name } : {}),
    ...(format === 'aws-apigateway' && Object.keys(s.gateways.awsFields).length > 0 ? { aws: s.gateways.awsFields } : {}),
  };
}

/** A configured mesh target as the collector's scraper takes it. */
export function meshTarget(t: MeshTargetConfig): MeshTarget {
  if (t.kind === 'prometheus') return { kind: 'prometheus', url: t.url, mesh: t.mesh, name: t.name };
  return { kind: 'scrape', url: t.url, mesh: t.mesh, name: t.name, ...(t.workload ? { workload: t.workload } : {}), ...(t.namespace ? { namespace: t.namespace } : {}) };
}
