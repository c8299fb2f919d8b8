import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseInfrastructure, containerRuntimeAnswers } from './infrastructure';

describe('where a test run gets Postgres and Kafka', () => {
  const engine = (answers: boolean) => jest.fn(async () => answers);

  it('uses containers when a Docker engine answers, the local servers when none does', async () => {
    await expect(chooseInfrastructure({ setting: '', dockerAnswers: engine(true) })).resolves.toBe('containers');
    await expect(chooseInfrastructure({ setting: '', dockerAnswers: engine(false) })).resolves.toBe('local');
    await expect(chooseInfrastructure({ setting: 'auto', dockerAnswers: engine(true) })).resolves.toBe('containers');
    await expect(chooseInfrastructure({ setting: 'auto', dockerAnswers: engine(false) })).resolves.toBe('local');
  });

  it('follows TEST_INFRASTRUCTURE without asking the engine', async () => {
    const probe = engine(true);
    await expect(chooseInfrastructure({ setting: 'local', dockerAnswers: probe })).resolves.toBe('local');
    await expect(chooseInfrastructure({ setting: ' Containers ', dockerAnswers: engine(false) })).resolves.toBe('containers');
    expect(probe).not.toHaveBeenCalled();
  });

  it('refuses a setting it does not know rather than guess', async () => {
    await expect(chooseInfrastructure({ setting: 'docker', dockerAnswers: engine(true) })).rejects.toThrow(/TEST_INFRASTRUCTURE must be containers, local or auto .*"docker"/);
  });

  it('takes an engine that fails or does not answer in time for none', async () => {
    await expect(chooseInfrastructure({ setting: 'auto', dockerAnswers: () => Promise.reject(new Error('EACCES /var/run/docker.sock')) })).resolves.toBe('local');
    const silent = () => new Promise<boolean>(() => undefined);
    await expect(chooseInfrastructure({ setting: 'auto', dockerAnswers: silent, probeTimeoutMs: 20 })).resolves.toBe('local');
  });

  it('reads TEST_INFRASTRUCTURE from the environment by default, and detects when it is unset', async () => {
    const before = process.env.TEST_INFRASTRUCTURE;
    try {
      process.env.TEST_INFRASTRUCTURE = 'local';
      await expect(chooseInfrastructure({ dockerAnswers: engine(true) })).resolves.toBe('local');
      delete process.env.TEST_INFRASTRUCTURE;
      await expect(chooseInfrastructure({ dockerAnswers: engine(true) })).resolves.toBe('containers');
    } finally {
      if (before === undefined) delete process.env.TEST_INFRASTRUCTURE;
      else process.env.TEST_INFRASTRUCTURE = before;
    }
  });

  it('finds an engine the way testcontainers does: here, the DOCKER_HOST socket that answers `docker info`', async () => {
    // A stand-in engine answering the two calls the detection makes (info, and the bridge network's gateway when
    // the tests themselves run in a container).
    const asked: string[] = [];
    const engine = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      const body = request.url?.endsWith('/info')
        ? { ServerVersion: '28.2.2', OperatingSystem: 'stand-in', OSType: 'linux', Architecture: 'x86_64', IndexServerAddress: 'https://index.docker.io/v1/' }
        : request.url?.includes('/networks/') ? { IPAM: { Config: [{ Gateway: '172.17.0.1' }] } } : undefined;
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { message: 'not here' }));
    });
    const socket = join(tmpdir(), `recourse-docker-${process.pid}.sock`);
    await new Promise<void>((resolve) => engine.listen(socket, resolve));
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socket}`;
    try {
      await expect(containerRuntimeAnswers()).resolves.toBe(true);
      expect(asked).toContain('GET /info');
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
      await new Promise((resolve) => engine.close(resolve));
    }
  });
});
