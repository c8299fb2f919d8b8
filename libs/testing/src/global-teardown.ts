// Jest's global teardown (jest.preset.js): stops the containers global-setup.ts started, if it started any.
import { StartedInfrastructure } from './containers';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { recourseContainers?: StartedInfrastructure }).recourseContainers?.stop();
}
