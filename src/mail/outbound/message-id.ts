import { randomUUID } from 'node:crypto';

/** A new, globally unique Message-ID on the helpdesk's own domain, such as `<hd.3f2a…@court.example>`. */
export function newMessageId(mailFrom: string): string {
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1) || 'helpdesk.invalid';
  return `<hd.${randomUUID()}@${domain}>`;
}
