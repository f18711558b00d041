/**
 * The mail baseline: fetch every message of a mailbox with imapflow (batches of 100, as intake does)
 * and parse each with mailparser, nothing else. Prints {messages, ms} as JSON.
 * Usage: tsx scripts/bench/raw-fetch.ts HOST PORT USER PASSWORD
 */
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';

async function main(): Promise<void> {
  const [host, port, user, pass] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const client = new ImapFlow({
    host,
    port: Number(port),
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass },
    logger: false,
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  let messages = 0;
  try {
    const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    for (let i = 0; i < uids.length; i += 100) {
      const sources: Buffer[] = [];
      for await (const m of client.fetch(uids.slice(i, i + 100).join(','), { uid: true, source: true }, { uid: true })) {
        if (m.source) sources.push(m.source);
      }
      for (const source of sources) {
        await simpleParser(source);
        messages += 1;
      }
    }
  } finally {
    lock.release();
    await client.logout();
  }
  process.stdout.write(`${JSON.stringify({ messages, ms: Number(process.hrtime.bigint() - started) / 1e6 })}\n`);
}

void main();
