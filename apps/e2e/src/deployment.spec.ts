// The deployment files, checked without a cluster or a Docker engine: the kustomizations render (kubectl
// kustomize) into objects that validate against the Kubernetes schemas (kubernetes-models), with the
// properties production depends on; docker-compose.yml, the Dockerfile and .dockerignore hold together.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { SERVICE_PROCESS_ENV, SERVICE_NODE_ARGS, workspaceRoot } from '@recourse/testing';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';

const SERVICES = ['intake', 'investigation', 'refund', 'notification'] as const;
const PORTS: Record<string, number> = { intake: 3001, investigation: 3002, refund: 3003, notification: 3004 };

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: any;
}

/** Every kind the manifests may hold, with its schema. A new kind fails the test until it is added here. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

function kubectl(): string {
  for (const candidate of [process.env.KUBECTL, '/usr/bin/kubectl', '/usr/local/bin/kubectl']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error('kubectl not found (looked at $KUBECTL, /usr/bin/kubectl, /usr/local/bin/kubectl): it renders the kustomizations under test');
}

function render(dir: string): { text: string; objects: K8sObject[] } {
  const text = execFileSync(kubectl(), ['kustomize', join(workspaceRoot, dir)], { encoding: 'utf8' });
  return { text, objects: parseAllDocuments(text).map((document) => document.toJS() as K8sObject) };
}

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
const memoryMi = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

/** Environment variables that hold secrets: they must come from a Secret, never a literal or a ConfigMap. */
const SECRET_NAME = /(DATABASE_URL|PASSWORD|SECRET|TOKEN|PRIVATE_KEY|_KEY$)/;

function describeRendered(dir: string, production: boolean) {
  describe(dir, () => {
    const { text, objects } = render(dir);
    const deployments = ofKind(objects, 'Deployment');
    const containersOf = (object: K8sObject): any[] => object.spec.template.spec.containers;

    it('renders only objects that validate against the Kubernetes schemas', () => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        const Model = MODELS[`${object.apiVersion}/${object.kind}`];
        if (!Model) throw new Error(`no schema registered for ${object.apiVersion} ${object.kind}`);
        expect(() => new Model(object).validate()).not.toThrow();
      }
    });

    it('runs each of the four services as a Deployment with its Service on its port', () => {
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
      // The probes' port, the same in every pod (each has its own network namespace).
      const healthPort = Number(ofKind(objects, 'ConfigMap')[0].data.HEALTH_PORT);
      expect(healthPort).toBeGreaterThan(0);
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const [container] = containersOf(deployment);
        const env = Object.fromEntries((container.env ?? []).map((entry: any) => [entry.name, entry.value]));
        expect(env.SERVICE).toBe(name);
        expect(Number(env[`${name.toUpperCase()}_PORT`])).toBe(PORTS[name]);
        expect(container.ports).toEqual([{ name: 'http', containerPort: PORTS[name] }, { name: 'health', containerPort: healthPort }]);
        const service = ofKind(objects, 'Service').find((s) => s.metadata.name === name);
        expect(service?.spec.selector).toEqual(deployment.spec.selector.matchLabels);
        expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
      }
    });

    it('gives every container probes on /health/live and /health/ready, resources, and no root', () => {
      const workloads = [...deployments, ...ofKind(objects, 'Job')];
      for (const workload of workloads) {
        const pod = workload.spec.template.spec;
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const container of pod.containers) {
          expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
          for (const bound of ['requests', 'limits']) expect(Object.keys(container.resources[bound]).sort()).toEqual(['cpu', 'memory']);
          // V8's heap must fit under the container's memory limit, with room to spare.
          const heap = /--max-old-space-size=(\d+)/.exec(container.env.find((entry: any) => entry.name === 'NODE_OPTIONS')?.value ?? '');
          expect(heap).not.toBeNull();
          // The base runs the services with the flags `npm start`, the tests and the bench use (production raises the heap).
          if (!production) expect(container.env.find((entry: any) => entry.name === 'NODE_OPTIONS').value).toBe(SERVICE_NODE_ARGS.join(' '));
          // A service (not a one-off migration job) starts with the environment it has there (malloc's arenas).
          if (workload.kind === 'Deployment') {
            for (const [name, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(container.env.find((entry: any) => entry.name === name)?.value).toBe(value);
          }
          expect(Number(heap![1])).toBeLessThanOrEqual(memoryMi(container.resources.limits.memory) * 0.8);
        }
      }
      for (const deployment of deployments) {
        const [container] = containersOf(deployment);
        // On the probes' own port (HEALTH_PORT, from the ConfigMap), answered by a thread of its own.
        expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'health' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'health' });
        expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'health' });
      }
    });

    it('commits no secret: secret settings come from the Secret recourse-secrets by reference', () => {
      expect(ofKind(objects, 'Secret')).toEqual([]);
      for (const configMap of ofKind(objects, 'ConfigMap')) {
        expect(Object.keys(configMap.data ?? {}).filter((key) => SECRET_NAME.test(key))).toEqual([]);
      }
      const containers = [...deployments, ...ofKind(objects, 'Job')].flatMap(containersOf);
      for (const container of containers) {
        const secretEnv = (container.env ?? []).filter((entry: any) => SECRET_NAME.test(entry.name));
        expect(secretEnv.map((entry: any) => entry.name).sort()).toEqual(['DATABASE_URL', 'JWT_PUBLIC_KEY']);
        for (const entry of secretEnv) {
          expect(entry.value).toBeUndefined();
          expect(entry.valueFrom.secretKeyRef).toMatchObject({ name: 'recourse-secrets', key: entry.name });
        }
      }
      expect(text).not.toMatch(/-----BEGIN/);
      // No credentials inside a URL (scheme://user:password@host).
      expect(text).not.toMatch(/[a-z]+:\/\/[^\s/@:]+:[^\s/@]+@/i);
    });

    if (!production) {
      it('migrates at boot, since the base has no migration Job', () => {
        expect(ofKind(objects, 'ConfigMap')[0].data.MIGRATE_ON_BOOT).toBe('true');
        expect(ofKind(objects, 'Job')).toEqual([]);
      });
      return;
    }

    it('checks tokens against the identity provider: issuer, audience and an https JWKS URL', () => {
      const settings = ofKind(objects, 'ConfigMap')[0].data;
      // The services refuse to start in production without them (libs/platform config).
      expect(settings.NODE_ENV).toBe('production');
      expect(settings.JWT_ISSUER).toMatch(/^\S+$/);
      expect(settings.JWT_AUDIENCE).toMatch(/^\S+$/);
      expect(settings.JWT_JWKS_URL).toMatch(/^https:\/\/\S+$/);
    });

    it('runs an immutable image from a registry, never :latest', () => {
      const images = [...deployments, ...ofKind(objects, 'Job')].flatMap(containersOf).map((container) => container.image as string);
      expect(images.length).toBe(8);
      for (const image of images) {
        expect(image).toMatch(/^[a-z0-9.-]+\.[a-z]+(:\d+)?\/.+(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
        expect(image).not.toMatch(/:latest$/);
      }
    });

    it('puts everything in its namespace, enforced as restricted', () => {
      const [namespace] = ofKind(objects, 'Namespace');
      expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      for (const object of objects.filter((o) => o.kind !== 'Namespace')) expect(object.metadata.namespace).toBe(namespace.metadata.name);
    });

    it('gives each Deployment a PodDisruptionBudget and an autoscaler that own its replicas', () => {
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        expect(deployment.spec.replicas).toBeUndefined();
        expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
        const podLabels = deployment.spec.template.metadata.labels;
        const budgets = ofKind(objects, 'PodDisruptionBudget').filter((pdb) =>
          Object.entries(pdb.spec.selector.matchLabels).every(([key, value]) => podLabels[key] === value),
        );
        expect(budgets).toHaveLength(1);
        expect(budgets[0].spec.maxUnavailable).toBe(1);
        const scalers = ofKind(objects, 'HorizontalPodAutoscaler').filter((hpa) => hpa.spec.scaleTargetRef.name === name);
        expect(scalers).toHaveLength(1);
        expect(scalers[0].apiVersion).toBe('autoscaling/v2');
        expect(scalers[0].spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
        // A budget of one unavailable must leave pods serving.
        expect(scalers[0].spec.minReplicas).toBeGreaterThanOrEqual(2);
        expect(scalers[0].spec.maxReplicas).toBeGreaterThan(scalers[0].spec.minReplicas);
      }
    });

    it('migrates every schema once in a Job, and the Deployments no longer migrate at boot', () => {
      expect(ofKind(objects, 'ConfigMap')[0].data.MIGRATE_ON_BOOT).toBe('false');
      const [job, ...others] = ofKind(objects, 'Job');
      expect(others).toEqual([]);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      const migrated = job.spec.template.spec.containers.map((container: any) => {
        const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value]));
        expect(env.MIGRATE_ONLY).toBe('true');
        expect(container.envFrom).toEqual([{ configMapRef: { name: 'recourse-config' } }]);
        return env.SERVICE;
      });
      expect(migrated.sort()).toEqual([...SERVICES].sort());
      // The first step of a release (k8s/README.md) applies what the Job needs, and nothing that would roll pods.
      const firstStep = objects.filter((object) => ['namespace', 'config', 'migration'].includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? ''));
      expect(firstStep.map((object) => object.kind).sort()).toEqual(['ConfigMap', 'Job', 'Namespace']);
    });
  });
}

describe('Kubernetes manifests', () => {
  describeRendered('k8s/base', false);
  describeRendered('k8s/overlays/production', true);
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(workspaceRoot, 'docker-compose.yml'), 'utf8'), { merge: true });

  it('runs Postgres, a KRaft Kafka and the four services', () => {
    const always = Object.keys(compose.services).filter((name) => !compose.services[name].profiles);
    expect(always.sort()).toEqual(['intake', 'investigation', 'kafka', 'notification', 'postgres', 'refund']);
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.postgres.healthcheck.test).toBeDefined();
    expect(compose.services.kafka.healthcheck.test).toBeDefined();
  });

  it('adds Prometheus, scraping the four services, and Grafana with the dashboard, in the observability profile', () => {
    const { prometheus, grafana } = compose.services;
    expect([prometheus.profiles, grafana.profiles]).toEqual([['observability'], ['observability']]);
    const config = parse(readFileSync(join(workspaceRoot, 'ops/prometheus/prometheus.yml'), 'utf8'));
    const targets = config.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((group: any) => group.targets));
    expect(targets.sort()).toEqual(SERVICES.map((name) => `${name}:${PORTS[name]}`).sort());
    for (const volume of [...prometheus.volumes, ...grafana.volumes]) {
      expect(existsSync(join(workspaceRoot, volume.split(':')[0]))).toBe(true);
    }
    const provider = parse(readFileSync(join(workspaceRoot, 'ops/grafana/provisioning/dashboards/recourse.yml'), 'utf8')).providers[0];
    expect(grafana.volumes).toContain(`./ops/grafana/recourse-dashboard.json:${provider.options.path}/recourse-dashboard.json:ro`);
  });

  it('builds every service from the one Dockerfile, selected by SERVICE, healthy only when ready', () => {
    for (const name of SERVICES) {
      const service = compose.services[name];
      expect(service.build.context).toBe('.');
      expect(service.image).toBe(compose.services.intake.image);
      expect(service.environment.SERVICE).toBe(name);
      expect(Number(service.environment[`${name.toUpperCase()}_PORT`])).toBe(PORTS[name]);
      expect(service.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(service.environment.KAFKA_BROKERS).toBe('kafka:9092');
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } });
      expect(service.healthcheck.test).toEqual(['CMD', 'node', 'healthcheck.mjs']);
      expect(service.ports).toEqual([`127.0.0.1:${PORTS[name]}:${PORTS[name]}`]);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((match) => match[1]);
  const runtime = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+runtime/im));

  it('builds in stages and ships production dependencies and the build only', () => {
    expect(stages).toEqual(['build', 'prod-deps', 'runtime']);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps \/app\/node_modules/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist\/apps/);
    expect(runtime).not.toMatch(/COPY \. /);
  });

  it('runs as a non-root user, with a HEALTHCHECK, the entry point of the SERVICE chosen', () => {
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "healthcheck.mjs"\]/m);
    expect(existsSync(join(workspaceRoot, 'ops/docker/healthcheck.mjs'))).toBe(true);
    // V8's heap limit, as `npm start` runs the services.
    expect(runtime).toMatch(new RegExp(`^ENV NODE_OPTIONS="${SERVICE_NODE_ARGS.join(' ')}"$`, 'm'));
    for (const [name, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(runtime).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
    // The CMD's path is where each app's build puts main.ts: outDir dist/apps/<service>, sources under apps/<service>/src.
    expect(runtime).toMatch(/dist\/apps\/\$\{SERVICE[^}]*\}\/apps\/\$\{SERVICE\}\/src\/main\.js/);
    for (const name of SERVICES) {
      const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, `apps/${name}/tsconfig.app.json`), 'utf8'));
      expect(tsconfig.compilerOptions.outDir).toBe(`../../dist/apps/${name}`);
      expect(existsSync(join(workspaceRoot, `apps/${name}/src/main.ts`))).toBe(true);
    }
  });

  it('keeps the token keys, node_modules and dist out of the build context', () => {
    const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['.keys', '.git', 'node_modules', 'dist']) expect(ignored).toContain(entry);
    expect(ignored).not.toContain('ops');
  });

  it('needs no dev dependency at run time: every package the services import is a production dependency', () => {
    const { dependencies } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
    const roots = [...SERVICES.map((name) => `apps/${name}/src`), 'libs/platform/src', 'libs/domain/src', 'libs/contracts/src'];
    const imported = new Set<string>();
    for (const file of roots.flatMap((root) => sourceFiles(join(workspaceRoot, root)))) {
      // Type-only imports are erased by the compiler, so they need nothing at run time.
      const code = readFileSync(file, 'utf8').replace(/^import type [^;]+;$/gm, '');
      for (const [, specifier] of code.matchAll(/(?:^import [^;]*?\bfrom |^import |\brequire\(|\bimport\()'([^']+)'/gm)) {
        if (specifier.startsWith('.')) continue;
        const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!name.startsWith('@recourse/') && !name.startsWith('node:') && !builtinModules.includes(name)) imported.add(name);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in dependencies))).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry) ? [path] : [];
  });
}
