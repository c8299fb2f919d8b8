import { checkWebhookUrl, isPrivateAddress, judgeWebhookUrl } from './webhook-url.rules';

const production = { allowInsecure: false, allowPrivate: false };
const local = { allowInsecure: true, allowPrivate: true };

describe('webhook URL checks', () => {
  it.each([
    '10.0.0.1', '10.255.255.255', '127.0.0.1', '127.1.2.3', '169.254.169.254', '172.16.0.1', '172.31.255.254',
    '192.168.1.10', '100.100.100.200', '0.0.0.0', '224.0.0.1', '::1', '::', 'fc00::1', 'fd00:ec2::254', 'fe80::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '[::1]', 'not-an-address',
    // IPv4 carried in IPv6 is refused whole: IPv4-compatible (::/96), IPv4-mapped even when public, local-use NAT64.
    '::7f00:1', '::a00:1', '::8.8.8.8', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::ffff:8.8.8.8', '64:ff9b:1::a00:1', '64:ff9b:1::808:808',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.15.255.255', '172.32.0.1', '11.0.0.1', '2606:4700:4700::1111', '64:ff9b::808:808'])(
    '%s is public',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('refuses plain http unless insecure URLs are allowed', () => {
    expect(judgeWebhookUrl('http://hooks.example.com/x', ['8.8.8.8'], production)).toBe('url must use https');
    expect(judgeWebhookUrl('https://hooks.example.com/x', ['8.8.8.8'], production)).toBeNull();
    expect(judgeWebhookUrl('http://hooks.example.com/x', ['8.8.8.8'], { ...production, allowInsecure: true })).toBeNull();
  });

  it('refuses what is not an http(s) URL or carries credentials', () => {
    expect(judgeWebhookUrl('ftp://hooks.example.com/x', [], local)).toMatch(/http\(s\)/);
    expect(judgeWebhookUrl('hooks.example.com/x', [], local)).toMatch(/absolute/);
    expect(judgeWebhookUrl('https://user:pw@hooks.example.com/x', [], local)).toMatch(/credentials/);
  });

  it('refuses a host that resolves to any private address unless allowed', () => {
    expect(judgeWebhookUrl('https://a.example.com', ['8.8.8.8', '10.0.0.5'], production)).toMatch(/private/);
    expect(judgeWebhookUrl('https://a.example.com', [], production)).toMatch(/resolve/);
    expect(judgeWebhookUrl('https://a.example.com', ['10.0.0.5'], local)).toBeNull();
  });

  it('resolves the host, and sees through numeric spellings of loopback', async () => {
    const resolve = jest.fn(async (host: string) => (host === 'hooks.example.com' ? ['93.184.215.14'] : ['127.0.0.1']));
    expect(await checkWebhookUrl('https://hooks.example.com/in', production, resolve)).toBeNull();
    expect(await checkWebhookUrl('https://localhost/in', production, resolve)).toMatch(/private/);
    expect(await checkWebhookUrl('https://2130706433/in', production)).toMatch(/private/);
    expect(await checkWebhookUrl('https://[::1]:8443/in', production)).toMatch(/private/);
    expect(await checkWebhookUrl('http://127.0.0.1:9/in', local, resolve)).toBeNull();
    expect(resolve).toHaveBeenCalledTimes(2);
  });
});
