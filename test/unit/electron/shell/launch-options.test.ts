import { describe, expect, it } from 'vitest';
import { externalLinkAllowlist, parseLaunchOptions, validatePortalUrl } from '../../../../electron/main/shell/launch-options';

const context = { isPackaged: false, cwd: '/home/ada/portal-admin' };
const ELECTRON = ['/usr/lib/electron/electron', '/home/ada/portal-admin'];

describe('launch options', () => {
  it('reads the launcher\'s switches', () => {
    const options = parseLaunchOptions(
      [...ELECTRON, '--portal-url=https://127.0.0.1:40123', '--portal-ca=.data/demo-portal/demo-portal.sqlite.cert.pem', '--demo-portal', '--profile', '/tmp/profile'],
      {},
      context,
    );
    expect(options).toEqual({
      portal: { url: 'https://127.0.0.1:40123', caFile: '/home/ada/portal-admin/.data/demo-portal/demo-portal.sqlite.cert.pem', isDemo: true, needsConfirmation: false },
      profileDir: '/tmp/profile',
      keychain: 'os',
      problems: [],
    });
  });

  it('falls back to the environment, switches winning', () => {
    const env = { PORTAL_ADMIN_PORTAL_URL: 'https://portal.acme.test/', PORTAL_ADMIN_PORTAL_CA: '/etc/acme-ca.pem', PORTAL_ADMIN_PROFILE_DIR: '/tmp/p' };
    expect(parseLaunchOptions(ELECTRON, env, context)).toMatchObject({ portal: { url: 'https://portal.acme.test', caFile: '/etc/acme-ca.pem', isDemo: false }, profileDir: '/tmp/p' });
    expect(parseLaunchOptions([...ELECTRON, '--portal-url=https://other.test'], env, context).portal?.url).toBe('https://other.test');
  });

  it.each(['http://portal.acme.test', 'https://user:pass@portal.acme.test', 'javascript:alert(1)', 'https://portal.acme.test/?next=evil', 'not a url', 'file:///etc/passwd'])(
    'ignores an unsafe portal URL %j and says why',
    (url) => {
      const options = parseLaunchOptions([...ELECTRON, `--portal-url=${url}`, '--portal-ca=/ca.pem'], {}, context);
      expect(options.portal).toBeUndefined();
      expect(options.problems).toHaveLength(1);
    },
  );

  it('keeps a portal path prefix but drops the trailing slash', () => {
    expect(validatePortalUrl('https://example.com/partner/')).toBe('https://example.com/partner');
    expect(validatePortalUrl('https://example.com')).toBe('https://example.com');
  });

  it('uses the in-memory keychain only when asked, and never in a packaged app', () => {
    expect(parseLaunchOptions(ELECTRON, { PORTAL_ADMIN_KEYCHAIN: 'memory' }, context).keychain).toBe('os');
    expect(parseLaunchOptions([...ELECTRON, '--test-memory-keychain'], {}, context).keychain).toBe('memory');
    const packaged = parseLaunchOptions(['/opt/Portal Admin/portal-admin', '--test-memory-keychain'], {}, { ...context, isPackaged: true });
    expect(packaged.keychain).toBe('os');
    expect(packaged.problems).toHaveLength(1);
  });

  it('a packaged app only proposes a portal from a switch or the environment (the admin confirms it), and has no demo portal', () => {
    const packaged = { ...context, isPackaged: true };
    const fromSwitch = parseLaunchOptions(['/opt/Portal Admin/portal-admin', '--portal-url=https://evil.test', '--portal-ca=/tmp/evil.pem', '--demo-portal'], {}, packaged);
    expect(fromSwitch.portal).toEqual({ url: 'https://evil.test', caFile: '/tmp/evil.pem', isDemo: false, needsConfirmation: true });
    expect(fromSwitch.problems).toEqual(['--demo-portal is ignored in a packaged app.']);
    const fromEnvironment = parseLaunchOptions(['/opt/Portal Admin/portal-admin'], { PORTAL_ADMIN_PORTAL_URL: 'https://evil.test' }, packaged);
    expect(fromEnvironment.portal).toMatchObject({ url: 'https://evil.test', needsConfirmation: true });
  });

  it('allows external links only to an https portal on the default port', () => {
    expect(externalLinkAllowlist('https://portal.acme.test')).toEqual(['portal.acme.test']);
    expect(externalLinkAllowlist('https://127.0.0.1:40123')).toEqual([]);
    expect(externalLinkAllowlist(undefined)).toEqual([]);
    expect(externalLinkAllowlist('nonsense')).toEqual([]);
  });
});
