import type { Db } from '../db/knex';
import { maskPrivateData } from '../privacy/mask';
import { ACTOR_WORDS, AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions';
import * as repo from './audit.repository';

export { AUDIT_ACTIONS, type AuditAction } from './audit-actions';

/**
 * Who did it: a staff member (their name is kept as it was then), a scheduled job (`system`), the
 * command line (`cli`), or nobody signed in (`anonymous`). A staff member may also be given as
 * `staff:<id>`; their name is then read from their account.
 */
export type AuditActor = { staffId: number; name: string } | string;

/** The actor for a signed-in staff member. */
export const staffActor = (staff: { id: number; name: string }): AuditActor => ({ staffId: staff.id, name: staff.name });

/** What the action was about: a ticket by its reference, other rows by their id (`staff:<id>` names a staff account). */
export type AuditSubjectInput = AuditSubject | string;

export interface AuditSubject {
  type: 'ticket' | 'inbound_mail' | 'attachment' | 'staff_user' | 'callback' | 'outage' | 'faq_answer' | 'retention';
  id: string | number;
}

/** A value in `details`: counts, references, ids, short codes. Never a secret, never what a filer wrote. */
export type AuditValue = string | number | boolean | null | ReadonlyArray<string | number>;

export interface AuditEvent {
  actor: AuditActor;
  action: AuditAction;
  subject?: AuditSubjectInput;
  details?: Record<string, AuditValue>;
  /** The client's IP address (req.ip) for an action over the web. */
  address?: string;
}

/** An entry as pages and exports show it. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  /** The action in plain words. */
  description: string;
  subject: { type: string; id: string } | null;
  details: Record<string, unknown> | null;
  address: string | null;
}

const ACTOR = /^(staff:(\d+)|system|cli|anonymous)$/;

/** The stored actor and the name kept with it. */
async function actorOf(q: Db, actor: AuditActor): Promise<{ actor: string; name: string | null }> {
  if (typeof actor !== 'string') return { actor: `staff:${actor.staffId}`, name: actor.name.slice(0, 200) };
  const match = ACTOR.exec(actor);
  if (!match) throw new Error(`Unknown audit actor "${actor}": staff:<id>, system, cli or anonymous.`);
  return { actor, name: match[2] ? ((await repo.staffName(q, Number(match[2]))) ?? null) : null };
}

/** A subject as stored: `staff:5` is staff account 5; `type:id` otherwise. */
function subjectOf(subject: AuditSubjectInput): { type: string; id: string } {
  if (typeof subject !== 'string') return { type: subject.type, id: String(subject.id).slice(0, 100) };
  const at = subject.indexOf(':');
  const type = at > 0 ? subject.slice(0, at) : 'other';
  return { type: type === 'staff' ? 'staff_user' : type.slice(0, 40), id: subject.slice(at + 1, at + 101) };
}

// A key that names a secret is a mistake in the caller: refused loudly rather than stored.
const SECRET_KEY = /password|passphrase|secret|token|cookie|totp|^otp|^code$/i;

/** Details as stored: checked keys, strings masked as everywhere else (a private number never gets in). */
function cleanDetails(details: Record<string, AuditValue>): string {
  const masked = (value: string | number) => (typeof value === 'string' ? maskPrivateData(value).text : value);
  const clean: Record<string, AuditValue> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEY.test(key)) throw new Error(`The audit log does not take "${key}" in its details: counts and references only.`);
    clean[key] = Array.isArray(value) ? value.map(masked) : typeof value === 'string' ? masked(value) : value;
  }
  return JSON.stringify(clean);
}

/** An audit row in the shape pages and exports use. */
export function toAuditEntry(row: repo.AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    actorName: row.actor_name,
    action: row.action,
    description: (AUDIT_ACTIONS as Record<string, string>)[row.action] ?? row.action,
    subject: row.subject_type && row.subject_id ? { type: row.subject_type, id: row.subject_id } : null,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
    address: row.address,
  };
}

/** Who did it, in plain words: the staff member's name then, or what kind of actor. */
export function actorWords(entry: Pick<AuditEntry, 'actor' | 'actorName'>): string {
  return entry.actorName ?? ACTOR_WORDS[entry.actor] ?? entry.actor;
}

/**
 * The audit log (SPEC §12): append-only, the database refusing any change. `record` writes one
 * entry; given the caller's transaction it writes there, so the entry and the change it records
 * commit together or not at all. A view of private data is recorded before it is shown.
 */
export function createAuditService(db: Db, now: () => Date = () => new Date()) {
  return {
    async record(event: AuditEvent, trx?: Db): Promise<void> {
      const q = trx ?? db;
      if (!isAuditAction(event.action))
        throw new Error(`Unknown audit action "${String(event.action)}": add it to AUDIT_ACTIONS.`);
      const actor = await actorOf(q, event.actor);
      const subject = event.subject === undefined ? null : subjectOf(event.subject);
      await repo.insertEntry(q, {
        at: now().toISOString(),
        actor: actor.actor,
        actor_name: actor.name,
        action: event.action,
        subject_type: subject?.type ?? null,
        subject_id: subject?.id ?? null,
        details: event.details ? cleanDetails(event.details) : null,
        address: event.address?.slice(0, 64) ?? null,
      });
    },

    /** One page of entries, newest first (see repo.AuditQuery for the filters). */
    async list(filters: repo.AuditQuery): Promise<AuditEntry[]> {
      return (await repo.listEntries(db, filters)).map(toAuditEntry);
    },

    /** Every entry from `since` on, oldest first, a page at a time (for audit:export). */
    async *entriesSince(since?: string, pageSize = 500): AsyncGenerator<AuditEntry> {
      for (let after = 0; ;) {
        const rows = await repo.entriesAfter(db, after, { since, limit: pageSize });
        if (rows.length === 0) return;
        for (const row of rows) yield toAuditEntry(row);
        after = rows[rows.length - 1].id;
      }
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
