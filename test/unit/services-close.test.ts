import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createServices } from '../../src/services';
import { buildTestApp, testFaqLibrary, testScopeRules, type TestApp } from '../helpers/app';

describe('closing the services', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close().catch(() => undefined));

  it('leaves nothing to run against the database once closed, though indexing was due', async () => {
    const errors: string[] = [];
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          errors.push(chunk.toString());
          done();
        },
      }),
    );
    const services = createServices({
      config: t.config,
      db: t.db,
      logger,
      faq: testFaqLibrary(t.config),
      scopeRules: testScopeRules(),
    });
    await services.tickets.create(
      { name: 'Pat Filer', email: 'pat@example.com', subject: 'Upload fails', body: 'The PDF will not upload.' },
      'web',
    );
    // Storing the request asked for indexing in half a second; the command ends before that.
    await services.close();
    await t.db.destroy();
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(errors, [], 'no indexing started against the closed database');
  });
});
