/**
 * OAuth2 access tokens are derived from a secret, and the token cache is shared through Redis.
 * They are stored sealed (AES-GCM under a key derived from the client secret with HKDF), so what
 * Redis holds is useless without the secret every worker already has. WebCrypto only: this
 * module stays isomorphic.
 */
const encoder = new TextEncoder();

type SealingKey = Awaited<ReturnType<typeof crypto.subtle.deriveKey>>;

async function sealingKey(clientSecret: string, context: string): Promise<SealingKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(clientSecret),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(context),
      info: encoder.encode('crossdock oauth2 token cache'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export interface SealedToken {
  iv: string;
  sealed: string;
}

export async function sealToken(
  token: string,
  clientSecret: string,
  context: string,
): Promise<SealedToken> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await sealingKey(clientSecret, context);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(token)),
  );
  return { iv: toBase64(iv), sealed: toBase64(sealed) };
}

/** The token, or undefined when it cannot be opened (another secret, a damaged entry). */
export async function openToken(
  value: SealedToken,
  clientSecret: string,
  context: string,
): Promise<string | undefined> {
  try {
    const key = await sealingKey(clientSecret, context);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(value.iv) },
      key,
      fromBase64(value.sealed),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
