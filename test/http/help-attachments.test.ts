import assert from 'node:assert/strict';
import request from 'supertest';
import { sentFiles } from '../../src/tickets/ticket-attachments.repository';
import { moveMessagesAndCaseNumbers } from '../../src/tickets/tickets.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent, ticketInput } from '../helpers/factories';

// Small real files: the first bytes are what the content check reads.
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
// A Windows program: "MZ", then the bytes every program has, NULs included.
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0), Buffer.from('This program cannot be run in DOS mode.')]);

const count = async (t: TestApp, table: string) => Number((await t.db(table).count({ n: '*' }))[0].n);

describe('files sent with a request or a reply (SPEC §15)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  async function formAgent(path = '/help') {
    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    return { agent, token: csrfTokenFrom(page.text) };
  }

  /** The request form as a browser sends it: fields first (the CSRF token leading), then the files. */
  function sendForm(
    agent: ReturnType<typeof request.agent>,
    token: string,
    files: Array<{ name: string; content: Buffer; type?: string }>,
    fields: Record<string, string> = {},
    path = '/help',
  ) {
    let req = agent.post(path).field('_csrf', token);
    for (const [name, value] of Object.entries({ ...ticketInput(), ...fields })) req = req.field(name, value);
    for (const f of files)
      req = req.attach('attachments', f.content, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
    return req;
  }

  it('keeps a PDF and a screenshot with the request, lists them for the filer, and staff download them as email attachments', async () => {
    const { agent, token } = await formAgent();
    const sent = await sendForm(agent, token, [
      { name: 'rejected-filing.pdf', content: PDF, type: 'application/pdf' },
      { name: 'screen.png', content: PNG, type: 'image/png' },
    ]).expect(303);
    const ticket = await t.db('tickets').first();
    const rows = await t.db('mail_attachments').orderBy('id');
    assert.deepEqual(
      rows.map((r) => [r.filename, r.content_type, Number(r.size), r.inbound_mail_id, r.ticket_id]),
      [
        ['rejected-filing.pdf', 'application/pdf', PDF.length, null, ticket.id],
        ['screen.png', 'image/png', PNG.length, null, ticket.id],
      ],
    );
    const first = await t.db('ticket_messages').where({ ticket_id: ticket.id }).first();
    assert.equal(rows[0].ticket_message_id, first.id, 'kept with the message they came with');

    const received = await agent.get(sent.headers.location).expect(200);
    assert.match(received.text, /rejected-filing\.pdf \(1 KB\)/);
    assert.match(received.text, /screen\.png \(1 KB\)/);
    const status = await agent.get(sent.headers.location.replace(/\/received$/, '')).expect(200);
    assert.match(status.text, /<ul class="attachments" aria-label="Files sent with this message">/);

    const staff = await signedInAgent(t, await buildStaff(t));
    const reference = `HD-${ticket.reference_year}-${String(ticket.id).padStart(6, '0')}`;
    const page = await staff.get(`/staff/tickets/${reference}`).expect(200);
    const link = /href="(\/staff\/attachments\/\d+)" download>rejected-filing\.pdf/.exec(page.text);
    assert.ok(link, 'staff see the file as a download, as for email');
    const file = await staff.get(link[1]).buffer(true).expect(200);
    assert.deepEqual(Buffer.from(file.body as Buffer), PDF);
  });

  it('goes straight to the received page with files, since chosen files cannot ride along the confirmation step', async () => {
    const { agent, token } = await formAgent();
    // This request would otherwise stop on "Before you send your request" (see request-pages.test.ts).
    await sendForm(agent, token, [{ name: 'error.png', content: PNG, type: 'image/png' }]).expect(303);
    assert.equal(await count(t, 'tickets'), 1);
  });

  it('refuses a 30 MB file while it streams in, keeps everything typed, and stores nothing', async () => {
    const { agent, token } = await formAgent();
    const big = Buffer.alloc(30 * 1024 * 1024, 0x41);
    big.write('%PDF-1.7\n');
    const res = await sendForm(agent, token, [{ name: 'whole-brief.pdf', content: big, type: 'application/pdf' }], {
      subject: 'Upload fails for my brief',
    }).expect(400);
    assert.match(res.text, /The file “whole-brief\.pdf” is larger than 10 MB/);
    assert.match(res.text, /please choose your files again/);
    assert.match(res.text, /href="#attachments"/, 'the error summary links to the file field');
    assert.match(res.text, /id="attachments-error"/);
    assert.match(res.text, /value="Upload fails for my brief"/, 'what was typed is kept');
    assert.match(res.text, /After resetting my PACER password/);
    assert.equal(await count(t, 'tickets'), 0);
    assert.equal(await count(t, 'mail_attachments'), 0);
  });

  it('refuses a program renamed .pdf, by its content, in the language of the page', async () => {
    const { agent, token } = await formAgent('/help?lang=es');
    const res = await sendForm(agent, token, [{ name: 'factura.pdf', content: EXE, type: 'application/pdf' }]).expect(400);
    assert.match(res.text, /<html lang="es">/);
    assert.match(res.text, /El archivo “factura\.pdf” no es realmente un archivo PDF/);
    assert.match(res.text, /elija sus archivos otra vez/);
    assert.equal(await count(t, 'tickets'), 0);
  });

  it('refuses a file whose name is an executable, whatever type it claims', async () => {
    const { agent, token } = await formAgent();
    const res = await sendForm(agent, token, [{ name: 'setup.exe', content: PDF, type: 'application/pdf' }]).expect(400);
    assert.match(
      res.text,
      /We cannot take the file “setup\.exe”: we accept only PDF, PNG, JPEG, GIF, plain text, CSV, Word, or RTF files/,
    );
    assert.equal(await count(t, 'tickets'), 0);
  });

  it('refuses six files and keeps none of them', async () => {
    const { agent, token } = await formAgent();
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `page-${i + 1}.pdf`, content: PDF, type: 'application/pdf' }));
    const res = await sendForm(agent, token, six).expect(400);
    assert.match(res.text, /You chose more than 5 files\. Please choose 5 or fewer\./);
    assert.equal(await count(t, 'tickets'), 0);
    assert.equal(await count(t, 'mail_attachments'), 0);
    const five = await formAgent();
    await sendForm(five.agent, five.token, six.slice(0, 5)).expect(303);
    assert.equal(await count(t, 'mail_attachments'), 5);
  });

  it('cleans a file name with path separators, tabs or direction marks rather than refusing it', async () => {
    const { agent, token } = await formAgent();
    const sent = await sendForm(agent, token, [
      { name: '..\\..\\Windows\\evil\u202ename.pdf', content: PDF, type: 'application/pdf' },
      { name: '../../etc/notes\t.txt', content: Buffer.from('plain words\n'), type: 'text/plain' },
    ]).expect(303);
    const names = (await t.db('mail_attachments').orderBy('id')).map((r) => r.filename);
    assert.deepEqual(names, ['evilname.pdf', 'notes.txt']);
    const received = await agent.get(sent.headers.location).expect(200);
    assert.match(received.text, /evilname\.pdf/);
  });

  it('refuses a file name with control characters a form cannot carry, keeping everything typed', async () => {
    // Browsers percent-encode only CR, LF and quotes in a part's file name: a bell or escape goes as it is.
    const { agent, token } = await formAgent('/help?lang=es');
    const res = await sendForm(agent, token, [{ name: 'scan\u0007\u001b.pdf', content: PDF, type: 'application/pdf' }], {
      subject: 'No puedo subir el escrito',
    }).expect(400);
    assert.match(res.text, /No pudimos leer uno de los archivos que eligió: su nombre tiene caracteres/);
    assert.match(res.text, /value="No puedo subir el escrito"/);
    assert.match(res.text, /After resetting my PACER password/);
    assert.equal(await count(t, 'tickets'), 0);
  });

  it('reads the CSRF token from the multipart body and still refuses a multipart form without it', async () => {
    const agent = request.agent(t.app);
    await agent.get('/help').expect(200);
    let req = agent.post('/help');
    for (const [name, value] of Object.entries(ticketInput())) req = req.field(name, value);
    const res = await req.attach('attachments', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).expect(403);
    assert.match(res.text, /This form has expired/);
    const forged = await request(t.app).get('/help');
    await sendForm(request.agent(t.app), csrfTokenFrom(forged.text), [{ name: 'a.pdf', content: PDF }]).expect(403);
    assert.equal(await count(t, 'tickets'), 0);
    assert.equal(await count(t, 'mail_attachments'), 0);
  });

  it('keeps files sent with a reply on the status page and lists them under that reply', async () => {
    const created = await buildTicket(t);
    const path = `/requests/${created.statusToken}`;
    const { agent, token } = await formAgent(path);
    const bad = await agent
      .post(`${path}/replies`)
      .field('_csrf', token)
      .field('body', 'Here is the screen I see.')
      .attach('attachments', EXE, { filename: 'screen.png', contentType: 'image/png' })
      .expect(400);
    assert.match(bad.text, /The file “screen\.png” is not really a PNG file/);
    assert.match(bad.text, />Here is the screen I see\.<\/textarea>/, 'the reply typed is kept');
    await agent
      .post(`${path}/replies`)
      .field('_csrf', token)
      .field('body', 'Here is the screen I see.')
      .attach('attachments', PNG, { filename: 'screen.png', contentType: 'image/png' })
      .expect(303);
    const page = await agent.get(path).expect(200);
    assert.match(page.text, /Here is the screen I see\.<\/div>\s*<ul class="attachments"[^>]*>\s*<li>screen\.png \(1 KB\)<\/li>/);
  });

  it('moves the files with their messages when staff merge the request into another', async () => {
    const { agent, token } = await formAgent();
    await sendForm(agent, token, [{ name: 'first.pdf', content: PDF, type: 'application/pdf' }]).expect(303);
    const into = await buildTicket(t);
    const from = await t.db('tickets').orderBy('id').first();
    await moveMessagesAndCaseNumbers(t.db, from.id, into.ticket.id);
    assert.deepEqual(
      (await sentFiles(t.db, into.ticket.id)).map((f) => f.filename),
      ['first.pdf'],
    );
  });

  it('refuses, rather than drops, files sent before the form’s token', async () => {
    const { agent, token } = await formAgent();
    let req = agent.post('/help').attach('attachments', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    req = req.field('_csrf', token);
    for (const [name, value] of Object.entries(ticketInput())) req = req.field(name, value);
    await req.expect(403);
    assert.equal(await count(t, 'tickets'), 0);
  });

  it('shows a form for an unknown ?lang= in the usual language, and its file errors in that language', async () => {
    const { agent, token } = await formAgent('/help?lang=xx');
    const res = await sendForm(agent, token, [{ name: 'x.pdf', content: EXE }]).expect(400);
    assert.match(res.text, /<html lang="en">/);
    assert.match(res.text, /The file “x\.pdf” is not really a PDF file/);
  });
});
