/**
 * URLs the window must never navigate to and the system browser must never be asked to open.
 * Shared by the navigation-policy and security-handler tests.
 */
export const EXTERNAL_ALLOWLIST = ['docs.example.com', 'portal.acme.test'] as const;

export const HOSTILE_URLS: readonly string[] = [
  // script and local-content schemes
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.cookie)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'FILE:///C:/Windows/win.ini',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'blob:app://portal-admin/6a1f3c3e-0000-4000-8000-000000000000',
  'about:blank',
  'about:srcdoc',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'mailto:admin@docs.example.com',
  // look-alikes of our own origin
  'app://portal-admin.evil/index.html',
  'app://evil/index.html',
  'app://portal-admin@evil/index.html',
  'app://portal-admin:8080/index.html',
  'APP://PORTAL-ADMIN/index.html',
  // user-info tricks
  'https://portal-admin@evil.com/',
  'https://docs.example.com@evil.com/',
  'https://docs.example.com:secret@evil.com/',
  // downgrades and other schemes for an allowed host
  'http://docs.example.com/',
  'ws://docs.example.com/',
  'ftp://docs.example.com/',
  // look-alike hosts
  'https://docs.example.com.evil.com/',
  'https://evil.com/docs.example.com',
  'https://sub.docs.example.com/',
  'https://docs.example.com./',
  'https://docs.example.com%2eevil.com/',
  'https://dоcs.example.com/', // Cyrillic "о"
  'https://xn--dcs-8cd.example.com/', // the same look-alike, already in punycode
  'https://docs.exаmple.com/', // Cyrillic "а"
  // backslash, control characters and bidi
  'https://docs.example.com\\@evil.com/',
  'https:\\\\evil.com\\',
  'https://docs.example.com\n.evil.com/',
  'https://docs.example.com\u0000/',
  'https://docs.example.com\u202e/moc.live',
  // scheme-relative and odd hosts
  '//evil.com',
  '//docs.example.com/',
  'https://2130706433/',
  'https://0x7f.0.0.1/',
  'https://127.0.0.1/',
  'https://[::1]/',
  'https://docs.example.com:8443/',
  '',
  'not a url',
];

export const NON_STRING_URLS: readonly unknown[] = [undefined, null, 42, {}, ['https://docs.example.com/'], new URL('https://docs.example.com/')];
