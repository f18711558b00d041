import type { Knex } from 'knex';
import { decodeHeaderBytes, declaredCharset } from './header-charset';
import { countAttempt, type InboundRow, type RawArrival } from './inbound-mail.repository';
import { contentHashOf, dedupeKeyOf, rawHeader, variantKey } from './raw-headers';

type Q = Knex | Knex.Transaction;

/** The Subject of a raw message as text, even one written in raw 8-bit bytes (header-charset.ts). */
function rawSubject(raw: Buffer): string | null {
  const value = rawHeader(raw, 'subject');
  if (value === null || !/[\x80-\xff]/.test(value)) return value;
  return decodeHeaderBytes(Buffer.from(value, 'latin1'), declaredCharset(raw));
}

/** A row as stored at first: what intake knows before reading the message. */
type NewRow = Pick<
  InboundRow,
  | 'dedupe_key'
  | 'message_id'
  | 'content_hash'
  | 'from_address'
  | 'subject'
  | 'source'
  | 'mailbox'
  | 'uid'
  | 'raw'
  | 'size'
  | 'received_at'
  | 'attempts'
> & { duplicate_of?: number };

/** Inserts rows whose key is not taken yet; returns the id of every key given, new or old. */
async function insertOrFind(q: Q, rows: NewRow[]): Promise<{ ids: Map<string, number>; inserted: Set<number> }> {
  const ids = new Map<string, number>();
  const inserted = new Set<number>();
  // Bounded chunks keep each statement under SQLite's limit on bound variables.
  for (let i = 0; i < rows.length; i += 50) {
    const part = (await q('inbound_mail')
      .insert(rows.slice(i, i + 50))
      .onConflict('dedupe_key')
      .ignore()
      .returning(['id', 'dedupe_key'])) as Array<{ id: number; dedupe_key: string }>;
    for (const r of part) {
      ids.set(r.dedupe_key, r.id);
      inserted.add(r.id);
    }
  }
  const older = [...new Set(rows.map((r) => r.dedupe_key).filter((k) => !ids.has(k)))];
  for (let i = 0; i < older.length; i += 500) {
    const part = (await q('inbound_mail')
      .whereIn('dedupe_key', older.slice(i, i + 500))
      .select('id', 'dedupe_key')) as Array<{ id: number; dedupe_key: string }>;
    for (const r of part) ids.set(r.dedupe_key, r.id);
  }
  return { ids, inserted };
}

/** The content hash of stored messages; worked out from the raw copy for those stored before it was kept. */
async function contentHashes(q: Q, ids: number[]): Promise<Map<number, string>> {
  const hashes = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = (await q('inbound_mail')
      .whereIn('id', ids.slice(i, i + 500))
      .select('id', 'content_hash')) as Array<{ id: number; content_hash: string | null }>;
    for (const r of part) if (r.content_hash) hashes.set(r.id, r.content_hash);
  }
  for (const id of ids.filter((id) => !hashes.has(id))) {
    const row = (await q('inbound_mail').where({ id }).first('raw')) as { raw: Buffer } | undefined;
    if (row) hashes.set(id, contentHashOf(row.raw));
  }
  return hashes;
}

/**
 * Stores raw messages, before anything else is done with them. A copy of a message already stored
 * (same Message-ID and same content, or same bytes when it has no Message-ID) is left as it is. A
 * different message with a Message-ID already stored is a message of its own: stored (under its
 * Message-ID and its content hash) and marked with the earlier one, for staff to see. Returns the
 * ids of the rows, new or old, in the order given. Their processing starts once this commits, so the
 * start is counted with them (see countAttempt): a new row is stored counted, a copy still waiting
 * has one added.
 */
export async function storeRaw(q: Q, arrivals: RawArrival[], at: string): Promise<number[]> {
  if (arrivals.length === 0) return [];
  const rows: NewRow[] = arrivals.map((a) => {
    const { key, messageId } = dedupeKeyOf(a.raw);
    // Read from the raw headers now, so that even a message that never parses shows who sent it.
    const from = rawHeader(a.raw, 'from');
    return {
      dedupe_key: key,
      message_id: messageId,
      // Without a Message-ID the key is the hash of the bytes: nothing more to compare.
      content_hash: messageId ? contentHashOf(a.raw) : null,
      from_address: (from && /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0].slice(0, 320)) ?? null,
      subject: rawSubject(a.raw)?.slice(0, 1000) ?? null,
      source: a.source,
      mailbox: a.mailbox ?? null,
      uid: a.uid ?? null,
      raw: a.raw,
      size: a.raw.length,
      received_at: at,
      attempts: 1,
    };
  });
  // First under their own key; the row a key finds holds this message only when the content agrees.
  const first = await insertOrFind(q, rows);
  const ids = rows.map((row) => first.ids.get(row.dedupe_key) as number);
  const stored = await contentHashes(
    q,
    [...new Set(ids)].filter((id) => !first.inserted.has(id)),
  );
  // A key inserted now holds the first arrival with that key.
  for (const [i, row] of rows.entries())
    if (first.inserted.has(ids[i]) && !stored.has(ids[i]) && row.content_hash) stored.set(ids[i], row.content_hash);
  const variants = new Map<number, NewRow>();
  rows.forEach((row, i) => {
    const hash = stored.get(ids[i]);
    if (row.content_hash && hash && hash !== row.content_hash)
      variants.set(i, { ...row, dedupe_key: variantKey(row.dedupe_key, row.content_hash), duplicate_of: ids[i] });
  });
  const second = variants.size > 0 ? await insertOrFind(q, [...variants.values()]) : null;
  for (const [i, row] of variants) ids[i] = second?.ids.get(row.dedupe_key) as number;
  const inserted = new Set([...first.inserted, ...(second?.inserted ?? [])]);
  const olderIds = [...new Set(ids.filter((id) => !inserted.has(id)))];
  if (olderIds.length > 0) await countAttempt(q, olderIds);
  return ids;
}
