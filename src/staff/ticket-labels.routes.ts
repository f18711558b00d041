import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { isTopic, topicLabel, TOPICS } from '../faq/faq-topics';
import { noticeTable } from '../http/validate';
import { tagsInUse } from '../tickets/ticket-labels.repository';
import { createTicketLabels } from '../tickets/ticket-labels';
import type { TicketWorkService } from '../tickets/ticket-work.service';
import { staffOf } from './auth.middleware';

const DONE = noticeTable({ topic: 'Topic saved.', 'tag-added': 'Tag added.', 'tag-removed': 'Tag removed.' });

const me = (res: Response) => staffOf(res) as NonNullable<ReturnType<typeof staffOf>>;

/**
 * A ticket's topic and tags on its page: what the section shows (views/staff/ticket-labels.ejs,
 * from res.locals.ticketLabels) and the three changes staff make there.
 */
export function ticketLabelHandlers(deps: { db: Db; now: () => Date; work: Pick<TicketWorkService, 'ticketByReference'> }) {
  const labels = createTicketLabels(deps.db, deps.now, isTopic);
  const ticketOf = (reference: unknown) => deps.work.ticketByReference(String(reference));

  /** Before the ticket page: its topic, tags and the tags in use (offered as suggestions). */
  const onTicketPage: RequestHandler = async (req, res, next) => {
    try {
      const ticket = await ticketOf(req.params.reference);
      const [tags, known] = await Promise.all([labels.tagsOf(ticket), tagsInUse(deps.db)]);
      res.locals.ticketLabels = {
        topic: ticket.topic,
        topicLabel: topicLabel(ticket.topic),
        topics: TOPICS,
        tags,
        tagsInUse: known,
        notice: DONE(req.query.done),
      };
    } catch (error) {
      if (!(error instanceof NotFound)) throw error; // the ticket page says it is not there
    }
    next();
  };

  const back = (reference: string, done: string) => `/staff/tickets/${reference}?done=${done}`;

  const setTopic: RequestHandler = async (req, res) => {
    const ticket = await ticketOf(req.params.reference);
    const topic = (req.body as Record<string, unknown>).topic;
    await labels.setTopic(ticket, me(res), typeof topic === 'string' && topic !== '' ? topic : null);
    res.redirect(303, back(ticket.reference, 'topic'));
  };

  const addTag: RequestHandler = async (req, res) => {
    const ticket = await ticketOf(req.params.reference);
    const tag = (req.body as Record<string, unknown>).tag;
    await labels.addTag(ticket, me(res), typeof tag === 'string' ? tag.slice(0, 200) : '');
    res.redirect(303, back(ticket.reference, 'tag-added'));
  };

  const removeTag: RequestHandler = async (req, res) => {
    const ticket = await ticketOf(req.params.reference);
    const tag = (req.body as Record<string, unknown>).tag;
    await labels.removeTag(ticket, me(res), typeof tag === 'string' ? tag : '');
    res.redirect(303, back(ticket.reference, 'tag-removed'));
  };

  return { onTicketPage, setTopic, addTag, removeTag };
}
