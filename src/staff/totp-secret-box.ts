import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts TOTP secrets before they reach the database (AES-256-GCM).
 *
 * Why: a TOTP secret, unlike a password, cannot be stored as a hash: the server must read it to check
 * a code. Encrypted, a copy of the database alone (a backup, a dump, a leaked replica) does not give
 * anyone the second factor of every staff member. The key is derived (HKDF) from SESSION_SECRET, which
 * is never in the database and which every web process already shares; deriving a key of its own
 * keeps it apart from the secret's other use (signing sessions and forms). The staff member's id is
 * bound in as associated data, so a secret copied onto another account does not decrypt.
 * Changing SESSION_SECRET makes stored secrets unreadable: staff then enrol again (an administrator
 * resets their two-step sign-in).
 */
export interface SecretBox {
  seal(plain: string, userId: number): string;
  /** The secret, or undefined when it cannot be decrypted (another SESSION_SECRET, or tampered with). */
  open(sealed: string, userId: number): string | undefined;
}

const VERSION = 'v1';

export function createSecretBox(sessionSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', sessionSecret, Buffer.alloc(0), 'ecf-helpdesk totp secret v1', 32));
  const aad = (userId: number) => Buffer.from(`staff:${userId}`);
  return {
    seal(plain, userId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(userId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join(':');
    },
    open(sealed, userId) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(aad(userId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
