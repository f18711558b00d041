import express, { Router } from 'express';
import type { callbackHandlers } from '../callbacks/callbacks.routes';
import type { faqHandlers } from '../faq/faq.routes';
import type { homeHandlers } from '../home/home.routes';
import type { opsHandlers } from '../ops/ops.routes';
import type { staffMailHandlers } from '../mail/staff-mail.routes';
import type { policyHandlers } from '../policy/policy.routes';
import { requireAdmin, requireStaff } from '../staff/auth.middleware';
import type { authHandlers } from '../staff/auth.routes';
import type { firstRunHandlers } from '../staff/first-run.routes';
import type { staffHandlers } from '../staff/staff.routes';
import type { ticketHandlers } from '../tickets/tickets.routes';
import { requireJsonBody } from './security';
import { formBodyOnly } from './validate';

interface Handlers {
  home: ReturnType<typeof homeHandlers>;
  faq: ReturnType<typeof faqHandlers>;
  tickets: ReturnType<typeof ticketHandlers>;
  auth: ReturnType<typeof authHandlers>;
  firstRun: ReturnType<typeof firstRunHandlers>;
  staff: ReturnType<typeof staffHandlers>;
  policy: ReturnType<typeof policyHandlers>;
  callbacks: ReturnType<typeof callbackHandlers>;
  staffMail: ReturnType<typeof staffMailHandlers>;
  ops: ReturnType<typeof opsHandlers>;
}

/** The route table: every URL of the product and the handler that serves it. */
export function routeTable(h: Handlers): { unlogged: Router; pages: Router; api: Router } {
  const unlogged = Router();
  unlogged.get('/healthz', h.home.healthz);
  unlogged.get('/readyz', h.ops.readyz);
  unlogged.get('/metrics', h.ops.metrics);
  unlogged.get('/api/faq/search', h.faq.apiSearch);

  const pages = Router();
  pages.use(formBodyOnly);
  pages.get('/', h.home.home);
  pages.get('/hours', h.home.hours);
  pages.get('/callbacks', h.callbacks.page);
  pages.post('/callbacks', h.callbacks.book);
  pages.get('/callbacks/manage/:token', h.callbacks.manage);
  pages.get('/callbacks/manage/:token/invite.ics', h.callbacks.invite);
  pages.post('/callbacks/manage/:token/reschedule', h.callbacks.reschedule);
  pages.post('/callbacks/manage/:token/cancel', h.callbacks.cancel);
  pages.get('/faq', h.faq.page);
  pages.get('/faq/:id', h.faq.answerPage);
  pages.post('/faq/:id/feedback', h.faq.feedback);
  pages.get('/help', h.tickets.showForm);
  pages.post('/help', h.tickets.submitForm);
  pages.post('/help/edit', h.tickets.editForm);
  pages.get('/requests/:token', h.tickets.showStatus);
  pages.get('/requests/:token/received', h.tickets.received);
  pages.post('/requests/:token/replies', h.tickets.reply);
  pages.post('/requests/:token/close', h.tickets.close);
  pages.post('/requests/:token/review', h.tickets.review);

  pages.get('/staff/sign-in', h.auth.showSignIn);
  pages.post('/staff/sign-in', h.auth.signIn);
  pages.post('/staff/sign-out', h.auth.signOut);
  pages.get('/staff/setup/:token', h.firstRun.showSetup);
  pages.post('/staff/setup/:token', h.firstRun.createAdmin);
  pages.use('/staff', requireStaff);
  pages.get('/staff', h.staff.queue);
  pages.get('/staff/tickets/:reference', h.staff.ticketPage);
  pages.post('/staff/tickets/:reference/:action', h.staff.act);
  pages.get('/staff/faq', h.staff.faqStats);
  pages.get('/staff/callbacks', h.staff.callbackBoard);
  pages.post('/staff/callbacks/:id/outcome', h.staff.callbackOutcome);
  pages.get('/staff/mail', h.staffMail.mailPage);
  pages.post('/staff/mail/:id/retry', h.staffMail.retry);
  pages.post('/staff/mail/:id/ticket', h.staffMail.makeTicket);
  pages.get('/staff/mail/:id/raw', requireAdmin, h.staffMail.raw);
  pages.get('/staff/attachments/:id', h.staffMail.attachment);
  pages.use('/staff/users', requireAdmin);
  pages.get('/staff/users', h.staff.users);
  pages.post('/staff/users', h.staff.addUser);
  pages.post('/staff/users/:id/disable', h.staff.disable);
  pages.post('/staff/users/:id/enable', h.staff.enable);

  const api = Router();
  // The metrics label a route by its pattern; this router's mount point is restored once an error leaves it.
  api.use((req, res, next) => {
    res.locals.routeBase = req.baseUrl;
    next();
  });
  api.use(express.json({ limit: '100kb', strict: false }), requireJsonBody);
  api.post('/tickets', h.tickets.apiCreate);
  api.post('/triage', h.policy.apiTriage);
  api.get('/calendar/closures', h.home.apiClosures);
  api.get('/callbacks/slots', h.callbacks.apiSlots);
  api.post('/callbacks', h.callbacks.apiBook);
  api.get('/faq/:id', h.faq.apiAnswer);
  return { unlogged, pages, api };
}
