import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { parseOrThrow, type MessageTable } from '../http/validate';
import { LANGUAGES } from '../i18n/i18n';
import { PRIVACY_WARNING, REFUSAL_TEXT } from '../policy/refusal-messages';
import { requestPageHandlers, type RequestPageDeps } from './request-pages';
import { newTicketSchema, ticketMessages } from './ticket.schema';
import type { TicketService } from './tickets.service';

/** `language` of `POST /api/tickets`: the language the filer is answered in; detected from the text when absent. */
const apiLanguageSchema = z.object({ language: z.enum(LANGUAGES).optional() });
const apiLanguageMessages: MessageTable = {
  language: { invalid: 'validation:language.invalid', invalid_type: 'validation:language.invalid' },
};

function baseUrl(config: Config, req: Request): string {
  return config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
}

/**
 * HTTP handlers for requests: the public form and the filer's private pages (request-pages.ts), and
 * `POST /api/tickets`.
 */
export function ticketHandlers(tickets: TicketService, config: Config, pages: RequestPageDeps = {}) {
  const apiCreate: RequestHandler = async (req, res) => {
    const input = parseOrThrow(newTicketSchema, req.body, ticketMessages);
    const { language } = parseOrThrow(apiLanguageSchema, req.body, apiLanguageMessages);
    const created = await tickets.create(input, 'api', [], { chosen: language });
    const statusUrl = `${baseUrl(config, req)}/requests/${created.statusToken}`;
    if (created.refusal) {
      // Refused, but stored: the reference and the status link let the filer say it is a technical question.
      const text = REFUSAL_TEXT[created.language][created.refusal];
      res.status(422).json({
        outcome: 'rejected',
        reason: created.refusal,
        reference: created.ticket.reference,
        message: `${text.summary} ${text.explanation}`,
        statusUrl,
        language: created.language,
        ...(created.redacted.length > 0 ? { privacyWarning: PRIVACY_WARNING[created.language] } : {}),
      });
      return;
    }
    res.status(201).json({
      reference: created.ticket.reference,
      status: created.ticket.status,
      caseNumbers: created.caseNumbers,
      suggestions: created.suggestions,
      statusUrl,
      flags: created.ticket.flags,
      language: created.language,
      ...(created.declined.length > 0
        ? { declined: created.declined.map((c) => REFUSAL_TEXT[created.language][c].summary) }
        : {}),
      ...(created.redacted.length > 0 ? { privacyWarning: PRIVACY_WARNING[created.language] } : {}),
    });
  };

  return { ...requestPageHandlers(tickets, config, pages), apiCreate };
}
