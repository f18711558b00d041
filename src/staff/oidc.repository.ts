import type { Knex } from 'knex';

/** A sign-in sent to the OpenID provider and not yet back: what the callback must match. */
export interface OidcAttempt {
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  next: string;
}

interface Row {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  next: string;
  expires_at: string;
}

export async function insertAttempt(
  db: Knex,
  a: OidcAttempt & { stateHash: string; createdAt: string; expiresAt: string },
): Promise<void> {
  // Attempts nobody finished go as new ones come, so the table holds only the last few minutes.
  await db('oidc_sign_in_attempts').where('expires_at', '<=', a.createdAt).delete();
  await db('oidc_sign_in_attempts').insert({
    state_hash: a.stateHash,
    code_verifier: a.codeVerifier,
    nonce: a.nonce,
    redirect_uri: a.redirectUri,
    next: a.next,
    created_at: a.createdAt,
    expires_at: a.expiresAt,
  });
}

/**
 * Takes the attempt out, once: the first callback with this state gets it, a replay gets nothing
 * (the delete decides which request wins). Undefined for an unknown, used or expired state.
 */
export async function takeAttempt(db: Knex, stateHash: string, now: string): Promise<OidcAttempt | undefined> {
  const row = (await db('oidc_sign_in_attempts').where({ state_hash: stateHash }).first()) as Row | undefined;
  if (!row) return undefined;
  const taken = await db('oidc_sign_in_attempts').where({ state_hash: stateHash }).delete();
  if (taken !== 1 || row.expires_at <= now) return undefined;
  return { codeVerifier: row.code_verifier, nonce: row.nonce, redirectUri: row.redirect_uri, next: row.next };
}
