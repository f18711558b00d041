import { topicLabel } from '../faq/faq-topics';
import { flagLabel } from '../tickets/flag-labels';
import { statusLabel } from '../tickets/status-labels';
import type { Channel } from '../tickets/ticket.types';

// A ticket's history as staff read it: one sentence per event, in words ("Ada claimed it (was
// unassigned)"), never the JSON the history keeps.

/** One entry of a ticket's history as stored (see listEvents). */
export interface HistoryEvent {
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};

const REFUSAL_KIND: Record<string, string> = { legal_advice: 'legal advice', judge_contact: 'a message for a judge' };
const CHANNEL: Record<Channel, string> = { web: 'through the web form', api: 'through the API', email: 'by email' };

/** How the request came in, as the first line of the history says it. */
export const channelWords = (channel: string): string => CHANNEL[channel as Channel] ?? `by ${channel}`;

/** Describes a ticket's history; `names` gives staff names by id. */
export function describeHistory(events: HistoryEvent[], names: Map<number, string>): Array<{ createdAt: string; text: string }> {
  const staffName = (id: unknown) => (typeof id === 'number' ? (names.get(id) ?? 'a former staff member') : null);
  const actorName = (actor: string) => {
    if (actor.startsWith('staff:')) return names.get(Number(actor.slice(6))) ?? 'A staff member';
    return actor === 'requester' ? 'The filer' : 'The helpdesk';
  };
  const assignee = (id: unknown) => (staffName(id) ? `assigned to ${staffName(id)}` : 'unassigned');

  /** "; status changed from Open to Waiting for the filer", when the event changed it. */
  const statusChange = (before: Fields, after: Fields, lead = '; status changed') =>
    typeof after.status === 'string' && before.status !== after.status
      ? `${lead}${typeof before.status === 'string' ? ` from ${statusLabel(before.status)}` : ''} to ${statusLabel(after.status)}`
      : '';

  /** What any other change recorded, field by field, in words ("topic from “Filing” to “Fees”"). */
  function genericChanges(before: Fields, after: Fields): string[] {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const value = (key: string, v: unknown): string => {
      if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return 'none';
      if (key === 'status' && typeof v === 'string') return statusLabel(v);
      if (key === 'topic' && typeof v === 'string') return `“${topicLabel(v) ?? v}”`;
      if (key === 'assigneeId') return staffName(v) ?? 'nobody';
      if (key === 'flags' && Array.isArray(v)) return v.map((f) => flagLabel(String(f))).join(', ');
      if (Array.isArray(v)) return v.map(String).join(', ');
      if (typeof v === 'object') return 'changed';
      return typeof v === 'string' ? `“${v}”` : String(v);
    };
    const words = (key: string) =>
      key === 'assigneeId'
        ? 'assignee'
        : key
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .replace(/_/g, ' ')
            .toLowerCase();
    return keys
      .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) =>
        key in before
          ? `${words(key)} from ${value(key, before[key])} to ${value(key, after[key])}`
          : `${words(key)} ${value(key, after[key])}`,
      );
  }

  /** An action this page has no sentence for: "Ada changed the topic from …", else its name and what changed. */
  function otherChange(who: string, action: string, before: Fields, after: Fields): string {
    const changes = genericChanges(before, after);
    const changed = /^([a-z]+)_changed$/.exec(action);
    if (changed && changes.length > 0) return `${who} changed the ${changes.join(' and the ')}`;
    return `${who} ${action.replace(/_/g, ' ')}${changes.length > 0 ? ` (${changes.join('; ')})` : ''}`;
  }

  function sentence(event: HistoryEvent): string {
    const who = actorName(event.actor);
    const before = fieldsOf(event.before);
    const after = fieldsOf(event.after);
    const byFiler = event.actor === 'requester';
    switch (event.action) {
      case 'claimed':
        return `${who} claimed it (was ${assignee(before.assigneeId)})${statusChange(before, after)}`;
      case 'assigned':
        return after.assigneeId === null || after.assigneeId === undefined
          ? `${who} unassigned it (was ${assignee(before.assigneeId)})`
          : `${who} assigned it to ${staffName(after.assigneeId)} (was ${assignee(before.assigneeId)})`;
      case 'status_changed':
        if (byFiler && after.status === 'closed')
          return `Status changed${statusChange(before, after, '')} by the filer: they said their problem is solved`;
        if (byFiler) return `Status changed${statusChange(before, after, '')} because the filer replied`;
        return `Status changed${statusChange(before, after, '')} by ${who}`;
      case 'replied':
        return byFiler ? 'The filer replied' : `${who} replied to the filer${statusChange(before, after)}`;
      case 'noted':
        return `${who} added a note (staff only)`;
      case 'merged':
        return `${who} merged this ticket into ${String(after.mergedInto ?? 'another ticket')}${statusChange(before, { status: 'closed' })}`;
      case 'merged_in':
        return `${who} merged ${String(after.from ?? 'another ticket')} into this ticket`;
      case 'reinstated': {
        const flags = Array.isArray(before.flags) ? before.flags.filter((f) => f in REFUSAL_KIND) : [];
        const was = flags.length > 0 ? ` refused as ${flags.map((f) => REFUSAL_KIND[f as string]).join(' and ')}` : '';
        return `${who} reinstated the request${was}: it is a CM/ECF question${statusChange(before, after)}`;
      }
      case 'review_declined':
        return `${who} declined the request after review, as ${REFUSAL_KIND[after.reason as string] ?? 'out of scope'}${statusChange(before, after)}`;
      case 'review_dismissed':
        return `${who} dismissed the review flag: the request is a CM/ECF question`;
      case 'review_requested':
        return `The filer asked for the refusal to be reviewed${statusChange(before, after)}`;
      case 'message_id_reused':
        return 'A message arrived with the Message-ID of an earlier, different message (both are kept; see Mail)';
      case 'made_from_list_mail':
        return `${who} made this ticket from mailing-list mail`;
      case 'auto_reply_received':
        return `An automatic reply (such as an out-of-office message) came${typeof after.from === 'string' ? ` from ${after.from}` : ''}${typeof after.subject === 'string' ? `: “${after.subject}”` : ''}`;
      case 'tagged':
        return typeof after.tag === 'string' ? `${who} tagged it “${after.tag}”` : otherChange(who, event.action, before, after);
      case 'untagged':
        return typeof before.tag === 'string'
          ? `${who} removed the tag “${before.tag}”`
          : otherChange(who, event.action, before, after);
      default:
        return otherChange(who, event.action, before, after);
    }
  }

  return events.map((event) => ({ createdAt: event.createdAt, text: sentence(event) }));
}
