import { simpleParser } from 'mailparser';
import { findCaseNumbers } from '../../case-numbers/find-case-numbers';
import type { Db } from '../../db/knex';
import { readIntake } from '../../policy/intake-policy';
import type { ScopeRules } from '../../policy/scope-guard';
import { headersAsUtf8 } from './header-charset';
import { inspectDecision, PARSE_OPTIONS, readMessage } from './read-message';
import { threadTicket } from './thread-ticket';

/**
 * What intake would do with a raw message (`mail:inspect`), without storing anything: its kind, the
 * decision, the case numbers and court it names, the thread it joins, what would be masked.
 */
export async function inspectMessage(deps: { db: Db; scopeRules: ScopeRules; ownAddresses: string[] }, raw: Buffer) {
  const mail = await simpleParser(headersAsUtf8(raw), PARSE_OPTIONS);
  const reading = readMessage(mail, deps.ownAddresses);
  const c = reading.classification;
  // A database without tables (inspect run before any migration) simply has no thread to join.
  const ticket =
    c.kind === 'request' || c.kind === 'list' || c.kind === 'auto_reply'
      ? await threadTicket(deps.db, reading).catch(() => null)
      : null;
  const policy = readIntake(deps.scopeRules, { subject: reading.subject, body: reading.body, ownWords: reading.ownWords });
  const automatic = c.kind === 'auto_reply' || c.kind === 'own_address';
  const kind = c.kind === 'bounce' ? 'bounce' : automatic ? 'auto_reply' : ticket ? 'reply' : c.kind === 'list' ? 'list' : 'new';
  const threadReference = ticket?.reference ?? reading.keys.reference?.text;
  return {
    messageId: reading.messageId,
    from: reading.from?.address ?? mail.from?.text ?? null,
    subject: reading.subject,
    kind,
    decision: inspectDecision(c, policy.refusal, Boolean(reading.from), ticket !== null),
    acknowledge: c.kind === 'request' && !ticket && Boolean(reading.from),
    caseNumbers: findCaseNumbers(`${reading.subject}\n${reading.body}`),
    ...(reading.court ? { court: reading.court } : {}),
    ...(threadReference ? { threadReference } : {}),
    redactions: policy.redactions.map((r) => r.kind),
    ...(c.kind === 'bounce' ? { bouncedRecipients: c.recipients, returnedMessageIds: reading.returnedMessageIds } : {}),
    ...(c.kind === 'auto_reply' || c.kind === 'list' ? { reason: c.reason } : {}),
  };
}
