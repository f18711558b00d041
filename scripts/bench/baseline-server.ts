/**
 * The baseline for `npm run bench`: a bare Express app with one JSON route and one route that inserts
 * a row with knex into SQLite (same pragmas as the product). Port and database from argv.
 */
import express from 'express';
import { openDatabase } from '../../src/db/knex';

async function main(): Promise<void> {
  const [port, databaseUrl] = process.argv.slice(2);
  const db = openDatabase(databaseUrl);
  await db.schema.createTable('rows', (t) => {
    t.increments('id');
    t.string('name');
    t.string('email');
    t.string('subject');
    t.text('body');
    t.string('created_at');
  });
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/insert', async (req, res) => {
    const { name, email, subject, body } = req.body as Record<string, string>;
    const [id] = await db('rows').insert({ name, email, subject, body, created_at: new Date().toISOString() });
    res.status(201).json({ id });
  });
  app.listen(Number(port), '127.0.0.1');
}

void main();
