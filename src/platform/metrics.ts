import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry, so tests can build many apps). */
export type Metrics = {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  jobFailures: Counter<'type' | 'final'>;
  jobsSucceeded: Counter<'type'>;
};

export function createMetrics(queueDepth: () => Promise<number>): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'steward_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'steward_job_failures_total',
    help: 'Job runs that failed, by type and whether it was the last attempt',
    labelNames: ['type', 'final'] as const,
    registers: [registry],
  });
  const jobsSucceeded = new Counter({
    name: 'steward_jobs_succeeded_total',
    help: 'Job runs that succeeded, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'steward_job_queue_depth',
    help: 'Jobs queued (due or not) and not yet run',
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });
  return { registry, requests, latency, jobFailures, jobsSucceeded };
}
