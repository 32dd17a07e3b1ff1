/**
 * A `tel:` URI (RFC 3966) as people paste it from a contact card, a web page or an e-mail
 * signature: `tel:+1-212-555-0100`, `tel:+1-212-555-0100;ext=12`, `tel:0612345678;phone-context=+33`,
 * sometimes in angle brackets (`<tel:…>`) or percent-encoded. It becomes the plain text the phone
 * rules read anyway: the number, and an extension as an extension (` ext. 12`), so it is refused as
 * `extension_not_allowed` like a typed one. Anything else is returned unchanged.
 */
const TEL_URI = /^<?tel:([^>]*)>?$/i;

export function telUriToText(text: string): string {
  const match = TEL_URI.exec(text);
  if (!match) return text;
  let body: string;
  try {
    body = decodeURIComponent(match[1]!);
  } catch {
    return text; // a broken %-escape: the rules refuse it as it is
  }
  const [number = '', ...parameters] = body.split(';');
  let extension: string | null = null;
  let context: string | null = null;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2);
    if (/^ext$/i.test(name.trim())) extension = value.trim();
    // §5.1.5: a local number's context is a global number prefix (`+33`) or a domain name (ignored).
    else if (/^phone-context$/i.test(name.trim()) && value.trim().startsWith('+')) context = value.trim();
  }
  const global = context !== null && !number.trim().startsWith('+') ? `${context}${number.trim()}` : number.trim();
  return extension === null ? global : `${global} ext. ${extension}`;
}
