import { Injectable } from '@nestjs/common';
import { Readiness } from '../health/readiness';
import { BackgroundWorker, WorkerDefinition } from './background-worker';

/**
 * Makes a service's background workers, each one's health part of /health/ready as `worker:<name>`: a worker
 * whose steps keep throwing or hang takes the service out of rotation. The worker's owner starts it at
 * application bootstrap and awaits `stop()` at shutdown, before closing what its steps use, so the owner
 * decides the order (the delivery worker aborts its sends first; the relay closes its connection after).
 */
@Injectable()
export class BackgroundWorkers {
  constructor(private readonly readiness: Readiness) {}

  create(definition: WorkerDefinition): BackgroundWorker {
    const worker = new BackgroundWorker(definition);
    this.readiness.register(`worker:${definition.name}`, () => worker.healthy());
    return worker;
  }
}
