import { generate } from 'otplib';
import request from 'supertest';
import type { TestApp } from './app';
import { csrfTokenFrom } from './factories';

/** The 6-digit code an authenticator app shows for `secret` at `at`. */
export function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret: secret.replace(/\s/g, ''), epoch: Math.floor(at.getTime() / 1000) });
}

/** Turns two-step sign-in on for a staff member through the service, as the account page does; the secret and recovery codes. */
export async function enrolTotp(
  t: TestApp,
  staff: { id: number; email: string },
  at: Date = new Date(),
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secretText } = await t.services.twoStep.enrolment(staff);
  const secret = secretText.replace(/\s/g, '');
  const recoveryCodes = await t.services.twoStep.enrol(staff.id, await totpCode(secret, at), '127.0.0.1');
  return { secret, recoveryCodes };
}

/** Posts the sign-in form; the agent keeps the cookies. `from` sets the client address (the app trusts a loopback proxy). */
export async function postPassword(
  agent: ReturnType<typeof request.agent>,
  credentials: { email: string; password: string },
  from?: string,
) {
  const page = await agent.get('/staff/sign-in');
  const post = agent.post('/staff/sign-in').type('form');
  if (from) post.set('X-Forwarded-For', from);
  return post.send({ _csrf: csrfTokenFrom(page.text), email: credentials.email, password: credentials.password });
}

/** Posts a code to the second-step page (`/staff/sign-in/code` or `/staff/sign-in/set-up`). */
export async function postCode(agent: ReturnType<typeof request.agent>, page: string, code: string, from?: string) {
  const form = await agent.get(page);
  const post = agent.post(page).type('form');
  if (from) post.set('X-Forwarded-For', from);
  return post.send({ _csrf: csrfTokenFrom(form.text), code });
}

/** A supertest agent signed in with password and TOTP code. */
export async function signedInWithCode(t: TestApp, staff: { email: string; password: string }, secret: string, at = new Date()) {
  const agent = request.agent(t.app);
  const res = await postPassword(agent, staff);
  if (res.status !== 303 || !String(res.headers.location).startsWith('/staff/sign-in/code'))
    throw new Error(`password step answered ${res.status} ${res.headers.location}`);
  const done = await postCode(agent, '/staff/sign-in/code', await totpCode(secret, at));
  if (done.status !== 303) throw new Error(`code step answered ${done.status}`);
  return agent;
}
