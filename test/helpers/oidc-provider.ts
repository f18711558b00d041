// A real OpenID provider (oidc-provider, a certified implementation) on a loopback port, with one
// client for the helpdesk and the accounts a test names; and a small cookie-keeping HTTP client that
// signs in through the provider's own login and consent pages, as a browser without JavaScript would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';

export interface TestAccount {
  email: string;
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for the helpdesk. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the provider; `accounts` maps a login name (typed on its login page) to the account's email. */
export async function startOidcProvider(options: {
  redirectUri: string;
  accounts: Record<string, TestAccount>;
}): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'ecf-helpdesk';
  const clientSecret = 'a test client secret, long enough for HS256 if asked';
  // The provider warns that its built-in login pages and keys are for development (so they are, here),
  // and that it prefers Node 22: both expected in a test.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  let provider: Provider;
  try {
    const { default: OidcProvider } = await import('oidc-provider');
    provider = new OidcProvider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [options.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      cookies: { keys: ['a test cookie key for the provider'] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      async findAccount(_ctx, id) {
        const account = options.accounts[id];
        if (!account) return undefined;
        return {
          accountId: id,
          claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: id }),
        };
      },
    });
  } finally {
    console.warn = warn;
  }
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies by host, as a browser keeps them (enough for these two servers on loopback). */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.byHost.set(host, jar);
  }

  header(url: string): string {
    return [...(this.byHost.get(new URL(url).host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.byHost.set(host, jar);
  }
}

/** One request without following redirects, cookies kept in `jar`. */
export async function visit(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.store(url, response);
  return response;
}

/**
 * From the helpdesk's "sign in with single sign-on" link to the provider's answer: follows redirects,
 * fills in the provider's login page as `login` and accepts its consent page. Returns the callback URL
 * the provider sends the browser to, not yet visited, so a test can visit it, change it or replay it.
 */
export async function signInAtProvider(jar: CookieJar, startUrl: string, login: string, callbackPrefix: string): Promise<string> {
  let url = startUrl;
  for (let hops = 0; hops < 20; hops += 1) {
    const response = await visit(jar, url);
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      if (next.startsWith(callbackPrefix)) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`the provider answered ${response.status} without a form: ${html.slice(0, 500)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt };
    const posted = await visit(jar, new URL(action, url).href, form);
    const after = posted.headers.get('location');
    if (!after)
      throw new Error(`the provider's ${prompt} form answered ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
    url = new URL(after, url).href;
    if (url.startsWith(callbackPrefix)) return url;
  }
  throw new Error('too many redirects at the provider');
}
