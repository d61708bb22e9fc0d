/** A throwaway self-signed certificate from openssl (valid one day, for `localhost`), as PEM files in `dir`. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function selfSignedCertificate(dir: string, commonName = 'localhost'): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${commonName}`,
      '-days',
      '1',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}
