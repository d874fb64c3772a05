import { createHash, randomBytes } from 'node:crypto';

/**
 * Single-use links (invitations, password resets): 32 random bytes, handed out once and stored
 * only as SHA-256. The token travels in the URL's fragment, which browsers never send to a
 * server, so it stays out of access logs; the page posts it in a body.
 */
export function newLinkToken(): { token: string; sha256: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: linkTokenHash(token) };
}

export const linkTokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

export const linkTo = (publicUrl: string, page: string, token: string): string => `${publicUrl}/${page}#${token}`;
