import { createHash, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import * as repo from './oidc.repository';
import { openSession } from './open-session';
import { noAudit, SIGN_IN_ACTIONS, type AuditRecorder } from './sign-in-audit';
import { findUserWithHashByEmail } from './staff.repository';

const ATTEMPT_MINUTES = 10;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A single sign-on that did not sign anyone in; the code says why, the message says what to do. */
export class SingleSignOnRefused extends AppError {}

type Reason = 'state_mismatch' | 'unknown_state' | 'provider_refused' | 'email_not_verified' | 'unknown_email' | 'disabled';

const REFUSALS: Record<Reason, [number, string]> = {
  state_mismatch: [400, 'This sign-in did not start here, or it has expired. Please start again.'],
  unknown_state: [400, 'This sign-in has expired or was already used. Please start again.'],
  provider_refused: [400, 'Single sign-on did not sign you in. Please try again.'],
  email_not_verified: [
    403,
    'Your sign-in service did not confirm your email address, so it cannot be matched to a staff account. Ask your IT team.',
  ],
  unknown_email: [403, 'No staff account uses the email address you signed in with. Ask a helpdesk administrator to add you.'],
  disabled: [403, 'Your staff account is disabled. Ask a helpdesk administrator.'],
};

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Sign-in through the court's OpenID provider (authorization code flow with PKCE, state and nonce):
 * the account is the staff member whose email the provider says it verified. The provider handles
 * its own second factor, so these sessions are complete at once.
 */
export function createSingleSignOn(deps: {
  db: Db;
  issuer: string;
  clientId: string;
  clientSecret: string;
  now?: () => Date;
  audit?: AuditRecorder;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const audit = deps.audit ?? noAudit;
  const issuer = new URL(deps.issuer);
  // Plain http only for a provider on this machine (a test's, or one behind a local proxy); the
  // provider's answers and keys otherwise come over https, as the library insists.
  const options =
    issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? { execute: [client.allowInsecureRequests] } : undefined;
  let configuration: Promise<client.Configuration> | undefined;
  /** The provider's metadata, fetched on first use (and again after a failure). */
  const discover = () =>
    (configuration ??= client.discovery(issuer, deps.clientId, deps.clientSecret, undefined, options).catch((error: unknown) => {
      configuration = undefined;
      throw error;
    }));

  async function refuse(reason: Reason, address: string, details: { actor?: number; email?: string; error?: string } = {}) {
    const { actor, ...rest } = details;
    await audit.record({
      actor: actor ? `staff:${actor}` : 'anonymous',
      action: SIGN_IN_ACTIONS.oidcFailed,
      details: { reason, ...rest },
      address,
    });
    const [status, message] = REFUSALS[reason];
    return new SingleSignOnRefused(status, reason, message);
  }

  return {
    /** Where to send the browser, and the state to keep in its cookie until it comes back. */
    async start(input: { redirectUri: string; next: string }): Promise<{ url: string; state: string }> {
      const config = await discover();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const at = now();
      await repo.insertAttempt(db, {
        stateHash: sha256(state),
        codeVerifier,
        nonce,
        redirectUri: input.redirectUri,
        next: input.next,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + ATTEMPT_MINUTES * 60_000).toISOString(),
      });
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: input.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state };
    },

    /**
     * The provider's answer: the state must be the one this browser was sent with (its cookie) and
     * unused; the code is exchanged with the PKCE verifier, and the ID token's nonce checked.
     */
    async finish(input: {
      search: string;
      cookieState: string | undefined;
      address: string;
    }): Promise<{ sessionToken: string; next: string }> {
      const { address } = input;
      const params = new URLSearchParams(input.search);
      const state = params.get('state') ?? '';
      if (!state || !input.cookieState || !sameText(state, input.cookieState)) throw await refuse('state_mismatch', address);
      const attempt = await repo.takeAttempt(db, sha256(state), now().toISOString());
      if (!attempt) throw await refuse('unknown_state', address);
      const callbackUrl = new URL(attempt.redirectUri);
      callbackUrl.search = params.toString();
      let claims: { email?: unknown; email_verified?: unknown };
      try {
        const config = await discover();
        const tokens = await client.authorizationCodeGrant(
          config,
          callbackUrl,
          { pkceCodeVerifier: attempt.codeVerifier, expectedState: state, expectedNonce: attempt.nonce, idTokenExpected: true },
          { redirect_uri: attempt.redirectUri },
        );
        const idToken = tokens.claims()!;
        // Many providers put the email in the ID token; others only behind the userinfo endpoint.
        claims = (
          idToken.email ? idToken : await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
        ) as typeof claims;
      } catch (error) {
        const code = (error as { code?: unknown; error?: unknown }).error ?? (error as { code?: unknown }).code;
        throw await refuse('provider_refused', address, { error: typeof code === 'string' ? code.slice(0, 60) : 'unknown' });
      }
      const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
      if (!email || claims.email_verified !== true) throw await refuse('email_not_verified', address, { email });
      const user = await findUserWithHashByEmail(db, email);
      if (!user) throw await refuse('unknown_email', address, { email });
      if (user.disabledAt) throw await refuse('disabled', address, { actor: user.id });
      const sessionToken = await openSession(db, { userId: user.id, at: now(), complete: true, address });
      await audit.record({ actor: `staff:${user.id}`, action: SIGN_IN_ACTIONS.oidcSucceeded, address });
      return { sessionToken, next: attempt.next };
    },
  };
}

export type SingleSignOn = ReturnType<typeof createSingleSignOn>;
