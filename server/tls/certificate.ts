import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  certPath: string;
  /** SHA-256 of the certificate's DER, colon-separated upper-case hex (as browsers show it). */
  fingerprint256: string;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** SHA-256 of the DER bytes as plain lower-case hex, the form a certificate pin is written in. */
export function pinOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

function writeAtomically(path: string, contents: string, mode: number): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, contents, { mode });
  renameSync(temporary, path);
}

/**
 * Loads the given certificate and key, or creates a self-signed one (SHA-256, SANs for localhost
 * and 127.0.0.1) at `<base>.cert.pem` / `<base>.key.pem` and reuses it on later starts.
 */
export async function loadOrCreateCertificate(options: { certFile?: string; keyFile?: string; base: string }): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('Pass both --cert and --key, or neither.');
    const cert = readFileSync(options.certFile, 'utf8');
    return { cert, key: readFileSync(options.keyFile, 'utf8'), certPath: options.certFile, fingerprint256: fingerprintOf(cert) };
  }
  const certPath = `${options.base}.cert.pem`;
  const keyPath = `${options.base}.key.pem`;
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, 'utf8');
    return { cert, key: readFileSync(keyPath, 'utf8'), certPath, fingerprint256: fingerprintOf(cert) };
  }
  const generated = await generate([{ name: 'commonName', value: 'Portal Admin demo portal' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  writeAtomically(keyPath, generated.private, 0o600);
  writeAtomically(certPath, generated.cert, 0o644);
  return { cert: generated.cert, key: generated.private, certPath, fingerprint256: fingerprintOf(generated.cert) };
}
