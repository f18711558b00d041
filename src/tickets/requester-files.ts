import { isLanguage, type Language } from '../i18n/i18n';
import { recordedLanguage, sentFiles, type SentFile } from './ticket-attachments.repository';
import type { TicketServiceContext } from './ticket-service-deps';

export type { SentFile } from './ticket-attachments.repository';

/** What a status page shows besides the thread: the files the filer sent, and the request's recorded language. */
export function createRequesterFiles(ctx: TicketServiceContext) {
  const { db } = ctx;
  return {
    /** Every file the filer sent on a ticket (web and email), names and sizes only. */
    sentFiles(ticketId: number): Promise<SentFile[]> {
      return sentFiles(db, ticketId);
    },

    /** The language recorded at intake, or null for a ticket from before languages were recorded. */
    async recordedLanguage(ticketId: number): Promise<Language | null> {
      const language = await recordedLanguage(db, ticketId);
      return isLanguage(language) ? language : null;
    },
  };
}
