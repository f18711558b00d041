import express, { Router } from 'express';
import type { faqHandlers } from '../faq/faq.routes';
import type { homeHandlers } from '../home/home.routes';
import type { ticketHandlers } from '../tickets/tickets.routes';
import { requireJsonBody } from './security';

interface Handlers {
  home: ReturnType<typeof homeHandlers>;
  faq: ReturnType<typeof faqHandlers>;
  tickets: ReturnType<typeof ticketHandlers>;
}

/** The route table: every URL of the product and the handler that serves it. */
export function routeTable(h: Handlers): { unlogged: Router; pages: Router; api: Router } {
  const unlogged = Router();
  unlogged.get('/healthz', h.home.healthz);
  unlogged.get('/api/faq/search', h.faq.apiSearch);

  const pages = Router();
  pages.get('/', h.home.home);
  pages.get('/hours', h.home.hours);
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

  const api = Router();
  api.use(express.json({ limit: '100kb', strict: false }), requireJsonBody);
  api.post('/tickets', h.tickets.apiCreate);
  api.get('/faq/:id', h.faq.apiAnswer);
  return { unlogged, pages, api };
}
