import { createSecretKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { BaseConfig } from '../config/config';
import { JwtVerifier } from './jwt-verifier';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

const now = () => Math.floor(Date.now() / 1000);
const claims = { roles: ['customer'], locale: 'zh-CN', merchantId: 'm-1' };
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function jwt(payload: JWTPayload, key: KeyObject = ec.privateKey, header: Record<string, unknown> = { alg: 'ES256', typ: 'JWT' }): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
}

/** A token signed by hand, for headers and claims jose's signer refuses to write. */
function handSigned(header: object, payload: object, key: KeyObject = ec.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = key.asymmetricKeyType === 'ec' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

function verifierFor(publicKey: KeyObject, options: Partial<BaseConfig> = {}): Promise<JwtVerifier> {
  return JwtVerifier.fromConfig({ JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string, ...options } as BaseConfig);
}

describe('JwtVerifier', () => {
  const valid = { sub: 'cust-1', ...claims, exp: now() + 3600, iat: now() };

  it('accepts an ES256 token signed by the configured key and gives its principal', async () => {
    const verifier = await verifierFor(ec.publicKey);
    await expect(verifier.verify(await jwt(valid))).resolves.toEqual({ sub: 'cust-1', roles: ['customer'], locale: 'zh-CN', merchantId: 'm-1' });
  });

  it('accepts an RS256 token from a 2,048-bit RSA key, and refuses a 1,024-bit one', async () => {
    const token = await jwt(valid, rsa.privateKey, { alg: 'RS256' });
    await expect((await verifierFor(rsa.publicKey)).verify(token)).resolves.toMatchObject({ sub: 'cust-1' });
    const weak = handSigned({ alg: 'RS256' }, valid, smallRsa.privateKey);
    await expect((await verifierFor(smallRsa.publicKey)).verify(weak)).resolves.toBeNull();
  });

  it('refuses a token whose algorithm does not fit the key', async () => {
    // An ES256 header checked against an RSA key, an RS256 one against an EC key, ES256 against a P-384 key.
    await expect((await verifierFor(rsa.publicKey)).verify(handSigned({ alg: 'ES256' }, valid))).resolves.toBeNull();
    await expect((await verifierFor(ec.publicKey)).verify(await jwt(valid, rsa.privateKey, { alg: 'RS256' }))).resolves.toBeNull();
    await expect((await verifierFor(p384.publicKey)).verify(handSigned({ alg: 'ES256' }, valid, p384.privateKey))).resolves.toBeNull();
  });

  it('refuses an ES256 signature in DER form rather than the 64 raw bytes JWS requires', async () => {
    const input = `${b64({ alg: 'ES256' })}.${b64(valid)}`;
    const der = sign('sha256', Buffer.from(input), ec.privateKey).toString('base64url');
    await expect((await verifierFor(ec.publicKey)).verify(`${input}.${der}`)).resolves.toBeNull();
  });

  describe('against jose as the oracle', () => {
    // Each case: the token, and whether it must pass. Our verdict and jose's jwtVerify must both match it.
    const cases: Array<[string, () => Promise<string> | string, boolean]> = [
      ['valid', () => jwt(valid), true],
      ['valid without iat', () => jwt({ ...valid, iat: undefined }), true],
      ['nbf in the past', () => jwt({ ...valid, nbf: now() - 10 }), true],
      ['signed by another key', () => jwt(valid, otherEc.privateKey), false],
      ['payload swapped under the signature', async () => {
        const [header, , signature] = (await jwt(valid)).split('.');
        return `${header}.${b64({ ...valid, sub: 'someone-else' })}.${signature}`;
      }, false],
      ['expired', () => jwt({ ...valid, exp: now() - 60 }), false],
      ['expiring this second', () => jwt({ ...valid, exp: now() }), false],
      ['no exp', () => jwt({ ...valid, exp: undefined }), false],
      ['exp as a string', () => handSigned({ alg: 'ES256' }, { ...valid, exp: String(now() + 3600) }), false],
      ['nbf in the future', () => jwt({ ...valid, nbf: now() + 600 }), false],
      ['iat as a string', () => handSigned({ alg: 'ES256' }, { ...valid, iat: 'yesterday' }), false],
      ['alg none', () => `${b64({ alg: 'none' })}.${b64(valid)}.`, false],
      ['HS256 keyed with the public key', () => jwt(valid, createSecretKey(ec.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'utf8'), { alg: 'HS256' }), false],
      ['a crit header', () => handSigned({ alg: 'ES256', crit: ['exp'] }, valid), false],
      ['two segments', async () => (await jwt(valid)).split('.').slice(0, 2).join('.'), false],
      ['four segments', async () => `${await jwt(valid)}.AAAA`, false],
      ['characters outside base64url', async () => (await jwt(valid)).replace('.', '.+'), false],
      ['a header that is not JSON', () => `${b64('not json')}.${b64(valid)}.AAAA`, false],
      ['a header that is an array', () => handSigned(['ES256'], valid), false],
      ['a payload that is an array', () => handSigned({ alg: 'ES256' }, [valid]), false],
    ];

    it.each(cases)('%s', async (_name, make, accepted) => {
      const token = await make();
      const ours = await (await verifierFor(ec.publicKey)).verify(token);
      const jose = await jwtVerify(token, ec.publicKey, { algorithms: ['ES256', 'RS256'], requiredClaims: ['sub', 'exp'] }).then(() => true, () => false);
      expect(ours !== null).toBe(accepted);
      expect(jose).toBe(accepted);
    });
  });

  it('checks the issuer and the audience when they are configured', async () => {
    const verifier = await verifierFor(ec.publicKey, { JWT_ISSUER: 'https://id.wallet', JWT_AUDIENCE: 'recourse' });
    const withClaims = (extra: object) => jwt({ ...valid, ...extra });
    await expect(verifier.verify(await withClaims({ iss: 'https://id.wallet', aud: 'recourse' }))).resolves.toMatchObject({ sub: 'cust-1' });
    await expect(verifier.verify(await withClaims({ iss: 'https://id.wallet', aud: ['other', 'recourse'] }))).resolves.toMatchObject({ sub: 'cust-1' });
    await expect(verifier.verify(await withClaims({ iss: 'https://evil', aud: 'recourse' }))).resolves.toBeNull();
    await expect(verifier.verify(await withClaims({ iss: 'https://id.wallet', aud: 'other' }))).resolves.toBeNull();
    await expect(verifier.verify(await withClaims({ aud: 'recourse' }))).resolves.toBeNull();
  });

  it('refuses a token that carries no sub or no known role', async () => {
    const verifier = await verifierFor(ec.publicKey);
    await expect(verifier.verify(await jwt({ ...valid, sub: undefined }))).resolves.toBeNull();
    await expect(verifier.verify(await jwt({ ...valid, roles: ['root'] }))).resolves.toBeNull();
  });

  describe('with a JWKS', () => {
    let server: Server;
    let url: string;

    beforeAll(async () => {
      const keys = [{ ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' }, { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }];
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('checks each token against the key its kid names', async () => {
      const verifier = await JwtVerifier.fromConfig({ JWT_JWKS_URL: url } as BaseConfig);
      await expect(verifier.verify(await jwt(valid, ec.privateKey, { alg: 'ES256', kid: 'ec-1' }))).resolves.toMatchObject({ sub: 'cust-1' });
      await expect(verifier.verify(await jwt(valid, rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' }))).resolves.toMatchObject({ sub: 'cust-1' });
      await expect(verifier.verify(await jwt(valid, otherEc.privateKey, { alg: 'ES256', kid: 'ec-1' }))).resolves.toBeNull();
      await expect(verifier.verify(await jwt(valid, ec.privateKey, { alg: 'ES256', kid: 'unknown' }))).resolves.toBeNull();
    });
  });
});
