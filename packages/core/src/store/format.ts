/**
 * The binary container of `vault.enc`. Pure byte layout: no keys, no I/O.
 *
 *   offset  size  field
 *   0       8     magic "VLTLINK\0"
 *   8       2     format version, uint16 BE (1)
 *   10      4     header length H, uint32 BE
 *   14      H     header, UTF-8 JSON: key protection (KDF or keychain), nonces, generation
 *   14+H    48    data key wrapped by the key-encryption key (AES-256-GCM: 32 ciphertext + 16 tag)
 *   62+H    n     body: AES-256-GCM ciphertext of the JSON VaultData, tag last (16)
 *   end-32  32    SHA-256 of every byte before it
 *
 * The body's GCM additional data is everything from offset 0 to the end of the wrapped key, so the
 * header cannot be altered without the body failing to authenticate. The trailing digest is not
 * a security control (anyone can recompute it); it tells accidental damage and truncation apart from
 * a wrong passphrase before any key is needed.
 *
 * `generation` (added without a format version bump: older readers ignore it) counts the writes;
 * a file without it is generation 0. It is authenticated with the rest of the header.
 */
import { createHash } from 'node:crypto';

export const MAGIC = Buffer.from('VLTLINK\0', 'latin1');
export const FORMAT_VERSION = 1;
export const WRAPPED_KEY_LENGTH = 48;
export const GCM_TAG_LENGTH = 16;
export const DIGEST_LENGTH = 32;
const PREFIX_LENGTH = MAGIC.length + 2 + 4;
/** A header is a few hundred bytes; a huge length means damage, not a bigger header. */
const MAX_HEADER_LENGTH = 64 * 1024;

export type KdfHeader =
  { name: 'scrypt'; N: number; r: number; p: number; salt: string } | { name: 'keychain'; service: string; account: string };

export interface VaultHeader {
  kdf: KdfHeader;
  keyWrap: { alg: 'A256GCM'; nonce: string };
  body: { alg: 'A256GCM'; nonce: string };
  /** Number of writes so far (1 for a new vault); a lower number than one seen before means a rolled-back copy. */
  generation: number;
}

export interface VaultContainer {
  header: VaultHeader;
  /** Bytes the header was decoded from (AAD is built from these, never from a re-serialisation). */
  headerBytes: Buffer;
  wrappedKey: Buffer;
  /** Ciphertext followed by its 16-byte GCM tag. */
  sealedBody: Buffer;
  /** AAD of the key wrap: magic + version, so a wrapped key is only valid in this format version. */
  keyWrapAad: Buffer;
  /** AAD of the body: prefix + header + wrapped key. */
  bodyAad: Buffer;
}

/** Byte ranges of each section, [start, end). Exposed so tests can damage one section at a time. */
export interface ContainerLayout {
  prefix: [number, number];
  header: [number, number];
  wrappedKey: [number, number];
  body: [number, number];
  digest: [number, number];
}

export class ContainerError extends Error {
  override readonly name = 'ContainerError';
}

export function keyWrapAad(): Buffer {
  const versionBytes = Buffer.alloc(2);
  versionBytes.writeUInt16BE(FORMAT_VERSION);
  return Buffer.concat([MAGIC, versionBytes, Buffer.from('key-wrap', 'latin1')]);
}

/** Serialises header + wrapped key and returns the bytes that prefix the body (also its AAD). */
export function encodeHead(header: VaultHeader, wrappedKey: Buffer): Buffer {
  if (wrappedKey.length !== WRAPPED_KEY_LENGTH) throw new ContainerError(`wrapped key must be ${WRAPPED_KEY_LENGTH} bytes`);
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_LENGTH);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 2);
  return Buffer.concat([prefix, headerBytes, wrappedKey]);
}

export function encodeContainer(head: Buffer, sealedBody: Buffer): Buffer {
  const withoutDigest = Buffer.concat([head, sealedBody]);
  return Buffer.concat([withoutDigest, sha256(withoutDigest)]);
}

export function layoutOf(bytes: Buffer): ContainerLayout {
  if (bytes.length < PREFIX_LENGTH) throw new ContainerError(`the file is too short (${bytes.length} bytes) to be a vault`);
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new ContainerError('it is not a vaultlink vault file (unknown magic bytes)');
  const version = bytes.readUInt16BE(MAGIC.length);
  if (version !== FORMAT_VERSION) {
    throw new ContainerError(
      `it has file format version ${version}, and this vaultlink reads only version ${FORMAT_VERSION} (if a newer vaultlink wrote it, upgrade vaultlink)`,
    );
  }
  const headerLength = bytes.readUInt32BE(MAGIC.length + 2);
  if (headerLength > MAX_HEADER_LENGTH) throw new ContainerError(`its header length (${headerLength}) is implausible`);
  const headerEnd = PREFIX_LENGTH + headerLength;
  const keyEnd = headerEnd + WRAPPED_KEY_LENGTH;
  const digestStart = bytes.length - DIGEST_LENGTH;
  if (digestStart < keyEnd + GCM_TAG_LENGTH) throw new ContainerError(`the file is truncated (${bytes.length} bytes)`);
  return {
    prefix: [0, PREFIX_LENGTH],
    header: [PREFIX_LENGTH, headerEnd],
    wrappedKey: [headerEnd, keyEnd],
    body: [keyEnd, digestStart],
    digest: [digestStart, bytes.length],
  };
}

/** The header's generation, checked against the digest but not authenticated (no key needed): for change detection only. */
export function peekGeneration(bytes: Buffer): number {
  return decodeContainer(bytes).header.generation;
}

/** Checks magic, version and digest, then splits the file. Throws ContainerError naming what is wrong. */
export function decodeContainer(bytes: Buffer): VaultContainer {
  const layout = layoutOf(bytes);
  const expectedDigest = sha256(bytes.subarray(0, layout.digest[0]));
  if (!expectedDigest.equals(bytes.subarray(...layout.digest))) {
    throw new ContainerError('its checksum does not match (the file is damaged, truncated or was edited)');
  }
  const headerBytes = bytes.subarray(...layout.header);
  return {
    header: parseHeader(headerBytes),
    headerBytes,
    wrappedKey: bytes.subarray(...layout.wrappedKey),
    sealedBody: bytes.subarray(...layout.body),
    keyWrapAad: keyWrapAad(),
    bodyAad: bytes.subarray(0, layout.wrappedKey[1]),
  };
}

function parseHeader(headerBytes: Buffer): VaultHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(headerBytes.toString('utf8'));
  } catch (error) {
    throw new ContainerError(`its header is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(raw)) throw new ContainerError('its header is not an object');
  const kdf = parseKdf(raw.kdf);
  const keyWrap = parseCipher(raw.keyWrap, 'keyWrap');
  const body = parseCipher(raw.body, 'body');
  const generation = raw.generation ?? 0;
  if (!(Number.isSafeInteger(generation) && (generation as number) >= 0))
    throw new ContainerError('its header generation is not a whole number ≥ 0');
  return { kdf, keyWrap, body, generation: generation as number };
}

function parseKdf(value: unknown): KdfHeader {
  if (!isRecord(value)) throw new ContainerError('its header has no key protection section (kdf)');
  if (value.name === 'scrypt') {
    const { N, r, p, salt } = value;
    if (!isPositiveInt(N) || !isPositiveInt(r) || !isPositiveInt(p) || typeof salt !== 'string') {
      throw new ContainerError('its scrypt parameters are incomplete (N, r, p, salt)');
    }
    return { name: 'scrypt', N, r, p, salt };
  }
  if (value.name === 'keychain') {
    const { service, account } = value;
    if (typeof service !== 'string' || typeof account !== 'string' || !service || !account) {
      throw new ContainerError('its keychain entry name is incomplete (service, account)');
    }
    return { name: 'keychain', service, account };
  }
  throw new ContainerError(`it uses an unknown key protection "${String(value.name)}"`);
}

function parseCipher(value: unknown, section: string): { alg: 'A256GCM'; nonce: string } {
  if (!isRecord(value) || value.alg !== 'A256GCM' || typeof value.nonce !== 'string') {
    throw new ContainerError(`its header section "${section}" is not AES-256-GCM with a nonce`);
  }
  return { alg: 'A256GCM', nonce: value.nonce };
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
