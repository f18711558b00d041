import { parseAddressHeader, type ParsedMail } from 'mailparser';
import { readableBody } from './readable-text';

/** One recipient a delivery status notification reports on. */
export type BouncedRecipient = { address: string; status: string | null; action: string | null; diagnostic: string | null };

/** What kind of mail a message is, for deciding whether a person is waiting for an answer (RFC 3834). */
export type Classification =
  | { kind: 'request' }
  | { kind: 'auto_reply'; reason: string }
  | { kind: 'bounce'; recipients: BouncedRecipient[] }
  | { kind: 'own_address' }
  | { kind: 'list'; reason: string };

/** Whether the message was sent by a machine, so it must not be acknowledged. */
export function isAutomaticMail(classification: Classification): boolean {
  return classification.kind !== 'request';
}

/** The lowercase addresses in a configured From value such as `"Helpdesk" <helpdesk@court.gov>`. */
export function ownAddressesFrom(mailFrom: string): string[] {
  return flattenAddresses(parseAddressHeader(mailFrom).value);
}

/** Sorts a parsed message: own address, bounce, auto-reply, mailing list, else a person's request. */
export function classifyMessage(mail: ParsedMail, ownAddresses: string[]): Classification {
  const own = new Set(ownAddresses.map((address) => address.trim().toLowerCase()));
  const senders = flattenAddresses(mail.from?.value ?? []);
  if (senders.some((address) => own.has(address))) return { kind: 'own_address' };

  const recipients = bouncedRecipients(mail, own, senders);
  if (recipients) return { kind: 'bounce', recipients };

  const autoReason = autoReplyReason(mail, senders);
  if (autoReason) return { kind: 'auto_reply', reason: autoReason };

  const listReason = mailingListReason(mail);
  if (listReason) return { kind: 'list', reason: listReason };

  return { kind: 'request' };
}

type AddressEntry = { address?: string; group?: AddressEntry[] };

function flattenAddresses(entries: AddressEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.group ? flattenAddresses(entry.group) : entry.address ? [entry.address.trim().toLowerCase()] : [],
  );
}

/** Raw values of a top-level header, unfolded. Raw lines, because mailparser folds `List-*` into `list`. */
function headerValues(mail: ParsedMail, name: string): string[] {
  return (mail.headerLines ?? [])
    .filter((header) => header.key === name)
    .map((header) =>
      header.line
        .slice(header.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
}

/** The first token of a header value, lowercased: `auto-replied; owner-email=x` → `auto-replied`. */
function firstToken(value: string): string {
  return value.split(/[;\s(]/, 1)[0].toLowerCase();
}

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@')).toLowerCase();
}

const DAEMON_LOCAL_PARTS = new Set(['mailer-daemon', 'postmaster']);

// Matched anywhere in the subject, but only for mail from MAILER-DAEMON or postmaster.
const FAILURE_SUBJECT =
  /\b(undeliverable|undelivered mail|delivery status notification \(failure\)|mail delivery failed|returned mail|delivery failure|failure notice|delivery has failed|message not delivered)\b/i;
const DELAY_SUBJECT =
  /\b(delivery status notification \(delay\)|delayed mail|delivery delayed|could not send message for past|still being retried)\b/i;

/** The recipients of a delivery status notification, or null when the message is not one. */
function bouncedRecipients(mail: ParsedMail, own: Set<string>, senders: string[]): BouncedRecipient[] | null {
  if (isDeliveryReport(mail)) {
    const reported = reportedRecipients(mail);
    return reported.length > 0 ? reported : nonStandardRecipients(mail, 'failed', own, senders);
  }
  if (!senders.some((address) => DAEMON_LOCAL_PARTS.has(localPart(address)))) return null;
  const subject = mail.subject ?? '';
  if (FAILURE_SUBJECT.test(subject)) return nonStandardRecipients(mail, 'failed', own, senders);
  if (DELAY_SUBJECT.test(subject)) return nonStandardRecipients(mail, 'delayed', own, senders);
  return null;
}

const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

function isDeliveryReport(mail: ParsedMail): boolean {
  if (mail.attachments.some((attachment) => DELIVERY_STATUS_TYPES.has(attachment.contentType.toLowerCase()))) return true;
  const contentType = structuredContentType(mail);
  return contentType?.value === 'multipart/report' && reportTypeOf(contentType).endsWith('delivery-status');
}

type StructuredHeader = { value: string; params: Record<string, string> };

/** The parsed Content-Type, lowercased, or null; mailparser's header union needs narrowing to reach it. */
function structuredContentType(mail: ParsedMail): StructuredHeader | null {
  const header: unknown = mail.headers.get('content-type');
  if (!header || typeof header !== 'object' || !('value' in header) || !('params' in header)) return null;
  const { value, params } = header;
  if (typeof value !== 'string' || !params || typeof params !== 'object') return null;
  return { value: value.toLowerCase(), params: params as Record<string, string> };
}

function reportTypeOf(contentType: StructuredHeader | null): string {
  const reportType = contentType?.params['report-type'];
  return typeof reportType === 'string' ? reportType.toLowerCase() : '';
}

/**
 * Per-recipient blocks of the message/delivery-status part. By default mailparser does not keep
 * that part as an attachment: it appends it to `mail.text` (only `keepDeliveryStatus: true` keeps
 * it apart), so the text is read too.
 */
function reportedRecipients(mail: ParsedMail): BouncedRecipient[] {
  const reports = mail.attachments
    .filter((attachment) => DELIVERY_STATUS_TYPES.has(attachment.contentType.toLowerCase()))
    .map((attachment) => attachment.content.toString('utf8'));
  const sources = reports.length > 0 ? reports : [mail.text ?? ''];
  return sources.flatMap((source) => parseStatusBlocks(source));
}

function parseStatusBlocks(report: string): BouncedRecipient[] {
  const recipients: BouncedRecipient[] = [];
  for (const block of report.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = parseFields(block);
    const recipient = fields.get('original-recipient') ?? fields.get('final-recipient');
    // A recipient block always says what happened; this keeps stray prose from counting.
    if (!recipient || (!fields.has('action') && !fields.has('status'))) continue;
    const address = withoutType(recipient).replace(/^<|>$/g, '');
    if (!address) continue;
    const status = fields.get('status');
    const diagnostic = fields.get('diagnostic-code');
    recipients.push({
      address,
      action: fields.has('action') ? firstToken(fields.get('action') ?? '') || null : null,
      status: status ? (/\d\.\d{1,3}\.\d{1,3}/.exec(status)?.[0] ?? status) : null,
      diagnostic: diagnostic ? withoutType(diagnostic) || null : null,
    });
  }
  return recipients;
}

/** `Name: value` fields of one block, names lowercased, continuation lines joined. */
function parseFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | null = null;
  for (const line of block.split('\n')) {
    if (/^[ \t]/.test(line) && current) {
      fields.set(current, `${fields.get(current)} ${line.trim()}`);
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:(.*)$/.exec(line);
    current = match ? match[1].toLowerCase() : null;
    // The first occurrence wins, as for message headers.
    if (match && current && !fields.has(current)) fields.set(current, match[2].trim());
  }
  return fields;
}

/** Drops an address or diagnostic type such as `rfc822;` or `smtp;`. */
function withoutType(value: string): string {
  return value.replace(/^[A-Za-z0-9-]+[ \t]*;[ \t]*/, '').trim();
}

const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const ENHANCED_STATUS = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])/;
// Where a bounce starts quoting the returned message, whose headers hold addresses that did not fail
// (ours, the Message-ID). Only divider lines count: sendmail's "The original message was received"
// comes before the failed address.
const RETURNED_MESSAGE =
  /^\s*(-{2,}.*(original message|copy of the message|returned mail|returned message|undelivered message|message headers|below this line).*|original message headers:?)\s*$/im;

/** Best effort for bounces without a delivery-status part: X-Failed-Recipients, else addresses in the prose. */
function nonStandardRecipients(
  mail: ParsedMail,
  action: 'failed' | 'delayed',
  own: Set<string>,
  senders: string[],
): BouncedRecipient[] {
  const fullBody = readableBody(mail);
  const cut = fullBody.search(RETURNED_MESSAGE);
  const body = cut >= 0 ? fullBody.slice(0, cut) : fullBody;
  const status = ENHANCED_STATUS.exec(body)?.[0] ?? null;
  const diagnosticLine = body.split('\n').find((line) => /\b[45]\d\d[ -]/.test(line) || (status && line.includes(status)));
  const diagnostic = diagnosticLine ? diagnosticLine.trim().slice(0, 300) : null;

  const failedHeader = headerValues(mail, 'x-failed-recipients').flatMap((value) => value.match(ADDRESS) ?? []);
  const candidates = failedHeader.length > 0 ? failedHeader : (body.match(ADDRESS) ?? []);
  const seen = new Set<string>();
  const recipients: BouncedRecipient[] = [];
  for (const address of candidates) {
    const key = address.toLowerCase();
    const ignored = own.has(key) || senders.includes(key) || DAEMON_LOCAL_PARTS.has(localPart(key));
    if (ignored || seen.has(key)) continue;
    seen.add(key);
    recipients.push({ address, action, status, diagnostic });
  }
  return recipients;
}

// Conservative on purpose: a filer may well write "Out of office hours filing?".
const AUTO_REPLY_SUBJECT = /^\s*(auto:|automatic reply:|out of office(\s*auto\s*-?\s*reply)?\s*(:|$))/i;
const SUPPRESS_TOKENS = new Set(['all', 'oof', 'autoreply']);

/** Why the message is an automatic reply (RFC 3834 and common practice), or null. */
function autoReplyReason(mail: ParsedMail, senders: string[]): string | null {
  for (const value of headerValues(mail, 'auto-submitted')) {
    if (firstToken(value) !== 'no') return `Auto-Submitted: ${value}`;
  }
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = headerValues(mail, name).find((v) => !['no', 'false'].includes(firstToken(v)));
    if (value !== undefined) return `${name}: ${value}`;
  }
  for (const value of headerValues(mail, 'x-auto-response-suppress')) {
    const tokens = value.split(/[\s,;]+/).map((token) => token.toLowerCase());
    if (tokens.some((token) => SUPPRESS_TOKENS.has(token))) return `X-Auto-Response-Suppress: ${value}`;
  }
  const precedence = headerValues(mail, 'precedence').map(firstToken);
  const automaticPrecedence = precedence.find((value) => ['bulk', 'junk', 'auto_reply'].includes(value));
  if (automaticPrecedence) return `Precedence: ${automaticPrecedence}`;

  const subjectPrefix = AUTO_REPLY_SUBJECT.exec(mail.subject ?? '');
  if (subjectPrefix) return `subject starts with "${subjectPrefix[1].trim()}"`;

  if (reportTypeOf(structuredContentType(mail)) === 'disposition-notification') {
    return 'read receipt (disposition notification)';
  }
  // A calendar program answering our callback invitation ("Accepted: …"): iMIP METHOD:REPLY.
  if (isCalendarReply(mail)) return 'calendar reply to an invitation';
  // RFC 3834 §2: never answer a null return path; a daemon sender that is no bounce is still a machine.
  const returnPath = mail.headers.get('return-path');
  if (returnPath && typeof returnPath === 'object' && 'value' in returnPath && Array.isArray(returnPath.value)) {
    if (returnPath.value.every((entry) => !('address' in entry) || !entry.address)) return 'null Return-Path';
  }
  if (senders.some((address) => localPart(address) === 'mailer-daemon')) return 'sent by MAILER-DAEMON';
  return null;
}

/** True when the message carries an iCalendar reply (RFC 6047), as calendar programs send on "Accept". */
function isCalendarReply(mail: ParsedMail): boolean {
  return mail.attachments.some(
    (a) =>
      a.contentType.toLowerCase() === 'text/calendar' &&
      ((a.headers.get('content-type') as { params?: { method?: string } } | undefined)?.params?.method?.toUpperCase() ===
        'REPLY' ||
        /^METHOD:REPLY\r?$/im.test(a.content.toString('utf8'))),
  );
}

/** Why the message came through a mailing list, or null. */
function mailingListReason(mail: ParsedMail): string | null {
  const listId = headerValues(mail, 'list-id')[0];
  if (listId !== undefined) return `List-Id: ${listId}`;
  if (headerValues(mail, 'list-unsubscribe').length > 0) return 'List-Unsubscribe';
  if (headerValues(mail, 'precedence').some((value) => firstToken(value) === 'list')) return 'Precedence: list';
  return null;
}
