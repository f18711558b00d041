import assert from 'node:assert/strict';
import type { Express } from 'express';
import { Router } from 'express';
import request from 'supertest';
import { requiredRoleOf, requireRole, requireStaff } from '../../src/staff/auth.middleware';
import { ROLES, roleAtLeast, type Role } from '../../src/staff/roles';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

/** What the test needs of a router layer (Express 5's router, read as data). */
interface Layer {
  handle: unknown;
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
  match(path: string): boolean;
}

interface StaffRoute {
  method: 'get' | 'post';
  path: string;
  /** The roles that guard this route: exactly one for a route behind sign-in. */
  guards: Role[];
  /** Registered before the sign-in check: the sign-in pages themselves. */
  public: boolean;
}

const stackOf = (handle: unknown) => (handle as { stack?: Layer[] } | undefined)?.stack;

/**
 * Every /staff route of a router, in order, from the router itself: a route added to the table
 * shows up here with no change to this test. A role guard counts whether it is on the route or
 * mounted (router.use) on a path above it.
 */
function staffRoutes(stack: Layer[]): StaffRoute[] {
  const routes: StaffRoute[] = [];
  const mountedGuards: Array<{ layer: Layer; role: Role }> = [];
  let signInChecked = false;
  const walk = (layers: Layer[]) => {
    for (const layer of layers) {
      const nested = stackOf(layer.handle);
      if (!layer.route && nested) {
        walk(nested); // the app's routers are mounted at "/", so their paths are the URLs
        continue;
      }
      if (!layer.route) {
        if (layer.handle === requireStaff && layer.match('/staff')) signInChecked = true;
        const role = requiredRoleOf(layer.handle);
        if (role) mountedGuards.push({ layer, role });
        continue;
      }
      const { path, methods, stack: handlers } = layer.route;
      if (path !== '/staff' && !path.startsWith('/staff/')) continue;
      const guards = [
        ...mountedGuards.filter((g) => g.layer.match(path)).map((g) => g.role),
        ...handlers.map((h) => requiredRoleOf(h.handle)).filter((role): role is Role => role !== undefined),
      ];
      for (const method of Object.keys(methods).filter((m) => m === 'get' || m === 'post') as Array<'get' | 'post'>)
        routes.push({ method, path, guards, public: !signInChecked });
    }
  };
  walk(stack);
  return routes;
}

// Only sign-in itself may come before the sign-in check: everything else in /staff is for staff.
const SIGN_IN_PATHS = /^\/staff\/(sign-in|sign-out|setup|two-step|oidc|single-sign-on)(\/|$)/;

/** What is wrong with the staff routes: one signed-in route without exactly one role, or a public one that is not sign-in. */
function routeProblems(routes: StaffRoute[]): string[] {
  return routes.flatMap((r) => {
    const name = `${r.method.toUpperCase()} ${r.path}`;
    if (r.public)
      return SIGN_IN_PATHS.test(r.path) ? [] : [`${name} comes before the sign-in check (requireStaff) in src/http/routes.ts`];
    if (r.guards.length === 0)
      return [`${name} names no role: add role('agent'|'editor'|'supervisor'|'admin') in src/http/routes.ts`];
    if (r.guards.length > 1) return [`${name} is checked by ${r.guards.length} role guards (${r.guards.join(', ')}): keep one`];
    return [];
  });
}

const appStack = (app: Express) => (app as unknown as { router: { stack: Layer[] } }).router.stack;

describe('staff roles on every staff route', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('finds every staff route in the route table, each behind sign-in with exactly one role', () => {
    const routes = staffRoutes(appStack(t.app));
    const names = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    // The walk itself works: it finds routes known to exist, public and not.
    for (const known of [
      'GET /staff/sign-in',
      'GET /staff',
      'GET /staff/users',
      'POST /staff/tickets/:reference/reinstate',
      'GET /staff/account',
    ])
      assert.ok(names.includes(known), `${known} was not found among ${names.join(', ')}`);
    assert.deepEqual(routeProblems(routes), []);
  });

  it('would catch a staff route added without a role, or with two, or before sign-in', () => {
    const router = Router();
    router.get('/staff/open', () => undefined);
    router.use('/staff', requireStaff);
    router.get('/staff/reports', () => undefined);
    router.use('/staff/admin', requireRole('admin'));
    router.get('/staff/admin/thing', requireRole('admin'), () => undefined);
    router.get('/staff/admin/other', () => undefined);
    router.post('/staff/queue', requireRole('agent'), () => undefined);
    const problems = routeProblems(staffRoutes((router as unknown as { stack: Layer[] }).stack));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /GET \/staff\/open comes before the sign-in check/);
    assert.match(problems[1], /GET \/staff\/reports names no role/);
    assert.match(problems[2], /GET \/staff\/admin\/thing is checked by 2 role guards/);
  });

  it('answers each staff route to each role as the route table says: allowed is never 403, refused is 403 in plain words', async () => {
    const { ticket } = await buildTicket(t);
    const target = await buildStaff(t, { name: 'Target Account', email: 'target@example.gov' });
    const signedIn = new Map<Role, { agent: ReturnType<typeof request.agent>; csrf: string }>();
    for (const role of ROLES) {
      const agent = await signedInAgent(t, await buildStaff(t, { role, email: `${role}@example.gov`, name: `The ${role}` }));
      signedIn.set(role, { agent, csrf: csrfTokenFrom((await agent.get('/staff/account').expect(200)).text) });
    }
    const url = (path: string) =>
      path
        .replace(':reference', ticket.reference)
        .replace(/^\/staff\/users\/:id/, `/staff/users/${target.id}`)
        .replace(/:[a-zA-Z]+/g, '999999');

    const routes = staffRoutes(appStack(t.app)).filter((r) => !r.public);
    assert.ok(routes.length >= 30, `only ${routes.length} staff routes found`);
    const wrong: string[] = [];
    for (const route of routes) {
      const needs = route.guards[0];
      for (const role of ROLES) {
        const { agent, csrf } = signedIn.get(role) as { agent: ReturnType<typeof request.agent>; csrf: string };
        const res =
          route.method === 'get'
            ? await agent.get(url(route.path)).set('Accept', 'text/html')
            : await agent.post(url(route.path)).set('Accept', 'text/html').type('form').send({ _csrf: csrf });
        const name = `${role} ${route.method.toUpperCase()} ${route.path} → ${res.status}`;
        if (roleAtLeast(role, needs)) {
          if (res.status === 403 || res.status >= 500 || /\/staff\/sign-in/.test(res.headers.location ?? ''))
            wrong.push(`${name}: should be allowed (needs ${needs})`);
        } else if (res.status !== 403 || !/Only (an?|the) .* can do this\./.test(res.text)) {
          wrong.push(`${name}: should be refused with 403 (needs ${needs})`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('answers a refused form post sent for JSON with the JSON error and its code', async () => {
    const agent = await signedInAgent(t, await buildStaff(t, { role: 'editor' }));
    const csrf = csrfTokenFrom((await agent.get('/staff').expect(200)).text);
    const res = await agent
      .post('/staff/status')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, scope: 'cmecf', message: 'Down.' })
      .expect(403);
    assert.deepEqual(res.body, {
      errors: [{ code: 'role_required', message: 'Only a supervisor or an administrator can do this.' }],
    });
  });

  it('sends someone signed out to sign in from every staff page, and refuses every staff form post with 401', async () => {
    const anonymous = request.agent(t.app);
    const csrf = csrfTokenFrom((await anonymous.get('/staff/sign-in').expect(200)).text);
    const wrong: string[] = [];
    for (const route of staffRoutes(appStack(t.app)).filter((r) => !r.public)) {
      const path = route.path.replace(/:[a-zA-Z]+/g, '1');
      const res =
        route.method === 'get' ? await anonymous.get(path) : await anonymous.post(path).type('form').send({ _csrf: csrf });
      const ok =
        route.method === 'get'
          ? res.status === 303 && res.headers.location === `/staff/sign-in?next=${encodeURIComponent(path)}`
          : res.status === 401;
      if (!ok) wrong.push(`${route.method.toUpperCase()} ${path} → ${res.status} ${res.headers.location ?? ''}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('shows each role only the links and buttons its role allows', async () => {
    const { ticket } = await buildTicket(t, {
      subject: 'Refused request',
      body: 'Should I sue my landlord? What are my chances?',
    });
    await t.db('tickets').where({ id: ticket.id }).update({ status: 'rejected' });
    const pageFor = async (role: Role) => {
      const agent = await signedInAgent(t, await buildStaff(t, { role }));
      return {
        queue: (await agent.get('/staff').expect(200)).text,
        ticket: (await agent.get(`/staff/tickets/${ticket.reference}`).expect(200)).text,
      };
    };
    const agent = await pageFor('agent');
    assert.doesNotMatch(agent.queue, /href="\/staff\/users"/);
    assert.doesNotMatch(agent.queue, /href="\/staff\/status"/);
    assert.match(agent.queue, /href="\/staff\/account"/);
    assert.doesNotMatch(agent.ticket, /\/reinstate"/);
    const supervisor = await pageFor('supervisor');
    assert.match(supervisor.queue, /href="\/staff\/status"/);
    assert.doesNotMatch(supervisor.queue, /href="\/staff\/users"/);
    assert.match(supervisor.ticket, /\/reinstate"/);
    const admin = await pageFor('admin');
    assert.match(admin.queue, /href="\/staff\/users"/);
  });
});
