import express, { Router } from 'express';
import type { auditHandlers } from '../audit/audit.routes';
import type { callbackHandlers } from '../callbacks/callbacks.routes';
import type { faqHandlers } from '../faq/faq.routes';
import type { faqStaffHandlers } from '../faq/faq-staff.routes';
import type { homeHandlers } from '../home/home.routes';
import type { opsHandlers } from '../ops/ops.routes';
import type { staffMailHandlers } from '../mail/staff-mail.routes';
import type { policyHandlers } from '../policy/policy.routes';
import type { legalHoldHandlers } from '../retention/legal-hold.routes';
import type { reportsHandlers } from '../reports/reports.routes';
import type { accountHandlers } from '../staff/account.routes';
import { requireOwnPassword, requireRole as role, requireStaff } from '../staff/auth.middleware';
import type { authHandlers } from '../staff/auth.routes';
import type { firstRunHandlers } from '../staff/first-run.routes';
import type { oidcHandlers } from '../staff/oidc.routes';
import type { staffHandlers } from '../staff/staff.routes';
import type { queueHandlers } from '../staff/queue.routes';
import type { ticketLabelHandlers } from '../staff/ticket-labels.routes';
import type { twoStepHandlers } from '../staff/two-step.routes';
import type { staffUserHandlers } from '../staff/users.routes';
import type { outageReportHandlers } from '../status/outage-reports.routes';
import type { staffStatusHandlers } from '../status/staff-status.routes';
import type { statusHandlers } from '../status/status.routes';
import type { ticketHandlers } from '../tickets/tickets.routes';
import { requireJsonBody } from './security';
import { formBodyOnly } from './validate';

interface Handlers {
  home: ReturnType<typeof homeHandlers>;
  faq: ReturnType<typeof faqHandlers>;
  faqStaff: ReturnType<typeof faqStaffHandlers>;
  tickets: ReturnType<typeof ticketHandlers>;
  auth: ReturnType<typeof authHandlers>;
  firstRun: ReturnType<typeof firstRunHandlers>;
  twoStep: ReturnType<typeof twoStepHandlers>;
  oidc: ReturnType<typeof oidcHandlers>;
  staff: ReturnType<typeof staffHandlers>;
  queue: ReturnType<typeof queueHandlers>;
  ticketLabels: ReturnType<typeof ticketLabelHandlers>;
  account: ReturnType<typeof accountHandlers>;
  users: ReturnType<typeof staffUserHandlers>;
  policy: ReturnType<typeof policyHandlers>;
  callbacks: ReturnType<typeof callbackHandlers>;
  staffMail: ReturnType<typeof staffMailHandlers>;
  ops: ReturnType<typeof opsHandlers>;
  status: ReturnType<typeof statusHandlers>;
  staffStatus: ReturnType<typeof staffStatusHandlers>;
  outageReports: ReturnType<typeof outageReportHandlers>;
  audit: ReturnType<typeof auditHandlers>;
  legalHolds: ReturnType<typeof legalHoldHandlers>;
  reports: ReturnType<typeof reportsHandlers>;
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
  // Pages that show FAQ answers read the index as it is in the database (published by any process).
  pages.use(h.faq.keepFresh);
  pages.get('/', h.home.home);
  pages.get('/hours', h.home.hours);
  pages.get('/callbacks', h.callbacks.page);
  pages.post('/callbacks', h.callbacks.book);
  pages.get('/callbacks/manage/:token', h.callbacks.manage);
  pages.get('/callbacks/manage/:token/invite.ics', h.callbacks.invite);
  pages.post('/callbacks/manage/:token/reschedule', h.callbacks.reschedule);
  pages.get('/callbacks/manage/:token/cancel', h.callbacks.confirmCancel);
  pages.post('/callbacks/manage/:token/cancel', h.callbacks.cancel);
  pages.get('/faq', h.faq.page);
  pages.get('/faq/:id', h.faq.answerPage);
  pages.post('/faq/:id/feedback', h.faq.feedback);
  pages.get('/help', h.tickets.showForm);
  pages.post('/help', h.faq.countRequestSent, h.tickets.submitForm);
  pages.post('/help/edit', h.tickets.editForm);
  pages.get('/requests/:token', h.tickets.showStatus);
  pages.get('/requests/:token/received', h.tickets.received);
  pages.post('/requests/:token/replies', h.tickets.reply);
  pages.post('/requests/:token/close', h.tickets.close);
  pages.post('/requests/:token/review', h.tickets.review);
  pages.get('/status', h.status.page);
  pages.get('/status/feed.xml', h.status.feed);
  pages.get('/status/report', h.outageReports.showForm);
  pages.post('/status/report', h.outageReports.submitForm);
  pages.get('/status/receipts/:token', h.outageReports.receipt);

  pages.get('/staff/sign-in', h.auth.showSignIn);
  pages.post('/staff/sign-in', h.auth.signIn);
  pages.get('/staff/sign-in/code', h.twoStep.showCode);
  pages.post('/staff/sign-in/code', h.twoStep.checkCode);
  pages.get('/staff/sign-in/set-up', h.twoStep.showSetUp);
  pages.post('/staff/sign-in/set-up', h.twoStep.confirmSetUp);
  pages.get('/staff/sign-in/oidc', h.oidc.start);
  pages.get('/staff/sign-in/oidc/callback', h.oidc.callback);
  pages.post('/staff/sign-out', h.auth.signOut);
  pages.get('/staff/setup/:token', h.firstRun.showSetup);
  pages.post('/staff/setup/:token', h.firstRun.createAdmin);
  // Every staff route below names the role it needs (src/staff/roles.ts: agent < editor < supervisor <
  // admin), here and nowhere else; test/http/staff-roles.test.ts walks them all with every role.
  // A half-signed-in session (password checked, second step to come) is sent to its second step.
  pages.use('/staff', h.twoStep.pendingGate);
  pages.use('/staff', requireStaff, requireOwnPassword);
  pages.get('/staff', role('agent'), h.queue.queue);
  pages.post('/staff/bulk', role('agent'), h.queue.bulk);
  pages.post('/staff/filters', role('agent'), h.queue.saveFilter);
  pages.post('/staff/filters/:id/delete', role('agent'), h.queue.deleteFilter);
  pages.get(
    '/staff/tickets/:reference',
    role('agent'),
    h.legalHolds.onTicketPage,
    h.ticketLabels.onTicketPage,
    h.staff.ticketPage,
  );
  pages.post('/staff/tickets/:reference/topic', role('agent'), h.ticketLabels.setTopic);
  pages.post('/staff/tickets/:reference/tags', role('agent'), h.ticketLabels.addTag);
  pages.post('/staff/tickets/:reference/tags/remove', role('agent'), h.ticketLabels.removeTag);
  pages.post('/staff/tickets/:reference/legal-hold/place', role('admin'), h.legalHolds.place);
  pages.post('/staff/tickets/:reference/legal-hold/lift', role('admin'), h.legalHolds.lift);
  pages.post('/staff/tickets/:reference/claim', role('agent'), h.staff.act('claim'));
  pages.post('/staff/tickets/:reference/assign', role('agent'), h.staff.act('assign'));
  pages.post('/staff/tickets/:reference/status', role('agent'), h.staff.act('status'));
  pages.post('/staff/tickets/:reference/reply', role('agent'), h.staff.act('reply'));
  // Puts an FAQ answer into the reply being written (JSON for the page's script); changes nothing on the ticket.
  pages.post(
    '/staff/tickets/:reference/insert',
    role('agent'),
    h.legalHolds.onTicketPage,
    h.ticketLabels.onTicketPage,
    h.staff.insertAnswer,
  );
  pages.post('/staff/tickets/:reference/note', role('agent'), h.staff.act('note'));
  pages.post('/staff/tickets/:reference/merge', role('agent'), h.staff.act('merge'));
  pages.post('/staff/tickets/:reference/decline', role('agent'), h.staff.act('decline'));
  pages.post('/staff/tickets/:reference/dismiss-review', role('agent'), h.staff.act('dismiss-review'));
  pages.post('/staff/tickets/:reference/reinstate', role('supervisor'), h.staff.act('reinstate'));
  pages.get('/staff/faq', role('agent'), h.faqStaff.list);
  pages.get('/staff/faq/new', role('agent'), h.faqStaff.newForm);
  pages.post('/staff/faq/new/preview', role('agent'), h.faqStaff.previewNew);
  pages.post('/staff/faq/new/draft', role('agent'), h.faqStaff.saveNewDraft);
  pages.post('/staff/faq/new/publish', role('editor'), h.faqStaff.publishNew);
  pages.get('/staff/faq/synonyms', role('agent'), h.faqStaff.synonyms);
  pages.post('/staff/faq/synonyms', role('editor'), h.faqStaff.saveSynonyms);
  pages.get('/staff/faq/searches', role('agent'), h.faqStaff.searches);
  pages.get('/staff/faq/:id/edit', role('agent'), h.faqStaff.editForm);
  pages.post('/staff/faq/:id/preview', role('agent'), h.faqStaff.preview);
  pages.post('/staff/faq/:id/draft', role('agent'), h.faqStaff.saveDraft);
  pages.post('/staff/faq/:id/publish', role('editor'), h.faqStaff.publish);
  pages.get('/staff/faq/:id/history', role('agent'), h.faqStaff.history);
  pages.post('/staff/faq/:id/restore', role('editor'), h.faqStaff.restore);
  pages.get('/staff/callbacks', role('agent'), h.staff.callbackBoard);
  pages.post('/staff/callbacks/:id/outcome', role('agent'), h.staff.callbackOutcome);
  pages.get('/staff/mail', role('agent'), h.staffMail.mailPage);
  pages.post('/staff/mail/:id/retry', role('agent'), h.staffMail.retry);
  pages.post('/staff/mail/:id/ticket', role('agent'), h.staffMail.makeTicket);
  pages.get('/staff/mail/:id/raw', role('admin'), h.staffMail.raw);
  pages.get('/staff/attachments/:id', role('agent'), h.staffMail.attachment);
  pages.use('/staff/account', h.twoStep.accountPanel); // the two-step part of the account page
  pages.get('/staff/account', role('agent'), h.account.page);
  pages.post('/staff/account/two-step', role('agent'), h.twoStep.enrolFromAccount);
  pages.post('/staff/account/recovery-codes', role('agent'), h.twoStep.newRecoveryCodes);
  pages.post('/staff/account/password', role('agent'), h.account.changePassword);
  pages.post('/staff/account/sessions/end', role('agent'), h.account.endSession);
  pages.post('/staff/account/sessions/end-others', role('agent'), h.account.endOtherSessions);
  pages.post('/staff/account/notifications', role('agent'), h.account.saveNotifications);
  pages.get('/staff/users', role('admin'), h.users.list);
  pages.post('/staff/users', role('admin'), h.users.add);
  pages.get('/staff/users/:id', role('admin'), h.users.edit);
  pages.post('/staff/users/:id', role('admin'), h.users.save);
  pages.post('/staff/users/:id/disable', role('admin'), h.users.disable);
  pages.post('/staff/users/:id/enable', role('admin'), h.users.enable);
  pages.post('/staff/users/:id/reset-password', role('admin'), h.users.resetPassword);
  pages.post('/staff/users/:id/two-step/reset', role('admin'), h.twoStep.resetForUser);
  pages.get('/staff/audit', role('admin'), h.audit.page);
  pages.get('/staff/reports', role('supervisor'), h.reports.page);
  pages.get('/staff/reports/export.csv', role('supervisor'), h.reports.exportCsv);
  // Every staff member works the reports of an outage (the queue links here); declaring one is for supervisors.
  pages.get('/staff/status/:id/reports', role('agent'), h.outageReports.staffReports);
  pages.post('/staff/status/:id/reports/answer', role('agent'), h.outageReports.answerAll);
  pages.get('/staff/status', role('supervisor'), h.staffStatus.page);
  pages.post('/staff/status', role('supervisor'), h.staffStatus.declare);
  pages.post('/staff/status/:id/update', role('supervisor'), h.staffStatus.update);
  pages.post('/staff/status/:id/end', role('supervisor'), h.staffStatus.end);

  const api = Router();
  // The metrics label a route by its pattern; this router's mount point is restored once an error leaves it.
  api.use((req, res, next) => {
    res.locals.routeBase = req.baseUrl;
    next();
  });
  api.use(express.json({ limit: '100kb', strict: false }), requireJsonBody, h.faq.keepFresh);
  api.post('/tickets', h.tickets.apiCreate);
  api.post('/triage', h.policy.apiTriage);
  api.get('/calendar/closures', h.home.apiClosures);
  api.get('/callbacks/slots', h.callbacks.apiSlots);
  api.post('/callbacks', h.callbacks.apiBook);
  api.get('/faq/:id', h.faq.apiAnswer);
  api.get('/status', h.status.apiStatus);
  api.get('/status/history', h.status.apiHistory);
  api.post('/status/reports', h.outageReports.apiReport);
  return { unlogged, pages, api };
}
