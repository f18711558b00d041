import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

// Ids per statement, well under SQLite's limit on bound variables.
const IDS_PER_QUERY = 500;

/** The tags of these tickets, each ticket's in alphabetical order (tickets without tags are absent). */
export async function tagsOfTickets(q: Q, ticketIds: number[]): Promise<Map<number, string[]>> {
  const tags = new Map<number, string[]>();
  for (let i = 0; i < ticketIds.length; i += IDS_PER_QUERY) {
    const rows = (await q('ticket_tags')
      .whereIn('ticket_id', ticketIds.slice(i, i + IDS_PER_QUERY))
      .orderBy(['ticket_id', 'tag'])
      .select('ticket_id', 'tag')) as Array<{ ticket_id: number; tag: string }>;
    for (const row of rows) tags.set(row.ticket_id, [...(tags.get(row.ticket_id) ?? []), row.tag]);
  }
  return tags;
}

/**
 * Every tag in use, in alphabetical order, at most `limit` (offered as suggestions). Read by skipping
 * from one tag to the next in the tag index, one seek a tag, however many tickets carry each.
 */
export async function tagsInUse(q: Q, limit = 500): Promise<string[]> {
  const rows = (await q.raw(
    `WITH RECURSIVE tags (tag, n) AS (
       SELECT (SELECT min(tag) FROM ticket_tags), 1
       UNION ALL
       SELECT (SELECT min(t.tag) FROM ticket_tags t WHERE t.tag > tags.tag), n + 1 FROM tags WHERE tags.tag IS NOT NULL AND n < ?
     )
     SELECT tag FROM tags WHERE tag IS NOT NULL`,
    [limit],
  )) as Array<{ tag: string }> | { rows: Array<{ tag: string }> };
  return (Array.isArray(rows) ? rows : rows.rows).map((row) => row.tag);
}

/** Whether any ticket has this tag. */
export async function tagInUse(q: Q, tag: string): Promise<boolean> {
  return (await q('ticket_tags').where({ tag }).first('ticket_id')) !== undefined;
}

/** Gives these tickets the tag; returns the ids of those that did not have it already. */
export async function addTag(q: Q, ticketIds: number[], tag: string, at: string): Promise<number[]> {
  const had = new Set(
    (
      (await q('ticket_tags').whereIn('ticket_id', ticketIds).andWhere({ tag }).select('ticket_id')) as Array<{
        ticket_id: number;
      }>
    ).map((row) => row.ticket_id),
  );
  const added = ticketIds.filter((id) => !had.has(id));
  for (let i = 0; i < added.length; i += IDS_PER_QUERY / 5)
    await q('ticket_tags').insert(added.slice(i, i + IDS_PER_QUERY / 5).map((id) => ({ ticket_id: id, tag, created_at: at })));
  return added;
}

/** Takes the tag off a ticket; true when it had it. */
export async function removeTag(q: Q, ticketId: number, tag: string): Promise<boolean> {
  return (await q('ticket_tags').where({ ticket_id: ticketId, tag }).delete()) > 0;
}

/** Sets a ticket's topic (an FAQ category id, or null), as a staff change: the version is raised. */
export async function updateTopic(q: Q, ticketId: number, topic: string | null, at: string): Promise<void> {
  await q('tickets')
    .where({ id: ticketId })
    .update({ topic, updated_at: at, version: q.raw('version + 1') });
}
