import { IsDuration, BaseConfig, ConfigError, readConfig } from './config';

class ServiceConfig extends BaseConfig {
  @IsDuration()
  SLA_RESOLUTION = 'P45D';
}

describe('config read at boot', () => {
  it('keeps defaults for unset and empty variables', () => {
    const config = readConfig(ServiceConfig, { SLA_RESOLUTION: '', KAFKA_BROKERS: '10.0.0.1:9092,10.0.0.2:9092' });
    expect(config.SLA_RESOLUTION).toBe('P45D');
    expect(config.KAFKA_BROKERS).toBe('10.0.0.1:9092,10.0.0.2:9092');
    expect(config.KAFKA_TOPIC_PARTITIONS).toBe(6);
  });

  it('converts numbers', () => {
    expect(readConfig(ServiceConfig, { KAFKA_TOPIC_PARTITIONS: '12' }).KAFKA_TOPIC_PARTITIONS).toBe(12);
  });

  it('names every bad setting in one line', () => {
    let message = '';
    try {
      readConfig(ServiceConfig, { SLA_RESOLUTION: '45 days', DATABASE_URL: 'mysql://x', KAFKA_TOPIC_PARTITIONS: 'many' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toContain('SLA_RESOLUTION must be an ISO 8601 duration');
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
    expect(message).toContain('KAFKA_TOPIC_PARTITIONS');
  });

  it('refuses a consumer concurrency that could take every connection of the pool', () => {
    expect(readConfig(ServiceConfig, { KAFKA_CONSUMER_CONCURRENCY: '9', DATABASE_POOL_SIZE: '10' }).KAFKA_CONSUMER_CONCURRENCY).toBe(9);
    expect(() => readConfig(ServiceConfig, { KAFKA_CONSUMER_CONCURRENCY: '10', DATABASE_POOL_SIZE: '10' })).toThrow(
      /^invalid configuration: KAFKA_CONSUMER_CONCURRENCY \(10\) must be below DATABASE_POOL_SIZE \(10\): each topic in flight holds a connection/,
    );
    expect(() => readConfig(ServiceConfig, { DATABASE_POOL_SIZE: '4' })).toThrow(/KAFKA_CONSUMER_CONCURRENCY \(6\) must be below DATABASE_POOL_SIZE \(4\)/);
  });

  it('reads how long a query waits for a pooled connection', () => {
    expect(readConfig(ServiceConfig, {}).DATABASE_CONNECTION_TIMEOUT).toBe('PT10S');
    expect(() => readConfig(ServiceConfig, { DATABASE_CONNECTION_TIMEOUT: '10s' })).toThrow(/DATABASE_CONNECTION_TIMEOUT must be an ISO 8601 duration/);
  });
});

describe('token settings in production', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_ISSUER: 'https://idp.example.com/',
    JWT_AUDIENCE: 'recourse',
    JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  };
  const refusal = (env: Record<string, string>) => {
    try {
      readConfig(ServiceConfig, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('accepts an issuer, an audience and an https JWKS URL', () => {
    const config = readConfig(ServiceConfig, production);
    expect(config).toMatchObject(production);
  });

  it.each(['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL'])('refuses to boot without %s', (missing) => {
    const message = refusal({ ...production, [missing]: '' });
    expect(message).toBe(`invalid configuration: ${missing} is required when NODE_ENV=production`);
  });

  it('refuses a plain-http JWKS URL', () => {
    expect(refusal({ ...production, JWT_JWKS_URL: 'http://idp.example.com/.well-known/jwks.json' }))
      .toBe('invalid configuration: JWT_JWKS_URL must be an https:// URL when NODE_ENV=production');
  });

  it('names every missing token setting in one line', () => {
    const message = refusal({ NODE_ENV: 'production' });
    expect(message).not.toContain('\n');
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL']) expect(message).toContain(`${name} is required`);
  });

  it.each([undefined, 'development', 'test'])('leaves them optional, and http allowed, when NODE_ENV is %s', (nodeEnv) => {
    const env: Record<string, string> = nodeEnv ? { NODE_ENV: nodeEnv } : {};
    expect(readConfig(ServiceConfig, env).JWT_ISSUER).toBeUndefined();
    expect(readConfig(ServiceConfig, { ...env, JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }).JWT_JWKS_URL).toBe('http://127.0.0.1:8080/jwks.json');
    expect(refusal({ ...env, JWT_JWKS_URL: 'ftp://x' })).toContain('JWT_JWKS_URL must be an http(s) URL');
  });
});
