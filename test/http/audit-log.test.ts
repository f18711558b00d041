import assert from 'node:assert/strict';
import request from 'supertest';
import { createAuditService } from '../../src/audit/audit.service';
import { formatReference } from '../../src/tickets/reference';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildReviewTicket, buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';

const SSN = '123-45-6789';

describe('the audit log records who looked at private records and who decided, before anything is shown', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
  });
  afterEach(() => t.close());

  const entries = async (action: string) => t.db('audit_log').where({ action }).orderBy('id');

  async function importMail(raw: Buffer) {
    const ids = await t.services.mail.intake.store([{ raw, source: 'import' }]);
    const [outcome] = await t.services.mail.intake.processPending(ids);
    const ticket = await t
      .db('tickets')
      .where({ id: (outcome as { ticketId: number }).ticketId })
      .first();
    return { mailId: ids[0], reference: formatReference(ticket.reference_year, ticket.id) };
  }

  it('records an administrator viewing a ticket with unmasked originals, and not an agent, who sees none', async () => {
    const { ticket } = await buildTicket(t, { body: `My SSN is ${SSN} and the upload fails.` });
    const agent = await signedInAgent(t, await buildStaff(t));
    const agentPage = await agent.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.ok(!agentPage.text.includes(SSN));
    assert.equal((await entries('original.viewed')).length, 0);

    const adminUser = await buildStaff(t, { role: 'admin', name: 'Ada Admin' });
    const admin = await signedInAgent(t, adminUser);
    const page = await admin.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.ok(page.text.includes(SSN), 'the administrator sees the original');
    const [row] = await entries('original.viewed');
    assert.equal(row.actor, `staff:${adminUser.id}`);
    assert.equal(row.actor_name, 'Ada Admin');
    assert.equal(row.subject_type, 'ticket');
    assert.equal(row.subject_id, ticket.reference);
    assert.deepEqual(JSON.parse(row.details), { originals: 1 });
    assert.match(row.address, /127\.0\.0\.1|::1/);
    assert.ok(!JSON.stringify(row).includes(SSN), 'the entry holds no private number');
  });

  it('records one view of the originals per ticket page shown, the page after inserting an answer included', async () => {
    const { ticket } = await buildTicket(t, { body: `My SSN is ${SSN} and the upload fails.` });
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const page = await admin.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.equal((await entries('original.viewed')).length, 1);

    const insert = (answer: string) =>
      admin
        .post(`/staff/tickets/${ticket.reference}/insert`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), answer, body: 'Hello,' });
    await insert('forgot-password').expect(200);
    assert.equal((await entries('original.viewed')).length, 2, 'the page with the answer inserted');
    await insert('no-such-answer').expect(400);
    assert.equal((await entries('original.viewed')).length, 3, 'the page with the error');
    await insert('forgot-password').set('Accept', 'application/json').expect(200);
    assert.equal((await entries('original.viewed')).length, 3, 'an answer fetched as JSON shows no originals');
  });

  it('records an administrator seeing the unmasked topics of callbacks', async () => {
    const start = new Date(Date.now() + 3 * 86_400_000);
    await t.db('callbacks').insert({
      slot_start: start.toISOString(),
      slot_end: new Date(start.getTime() + 900_000).toISOString(),
      seat: 1,
      name: 'Casey Caller',
      phone: '+12065550142',
      email: 'casey@example.com',
      topic: 'My SSN is XXX-XX-6789',
      manage_token_hash: 'a'.repeat(64),
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    const callback = await t.db('callbacks').first();
    await t.db('callback_private_originals').insert({
      callback_id: callback.id,
      field: 'topic',
      original: `My SSN is ${SSN}`,
      created_at: new Date().toISOString(),
    });
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const board = await admin.get('/staff/callbacks').expect(200);
    assert.ok(board.text.includes(SSN));
    const [row] = await entries('callback_original.viewed');
    assert.deepEqual(JSON.parse(row.details), { callbacks: [callback.id] });
  });

  it('records a raw message download before the message is sent, and sends nothing when it cannot record', async () => {
    const { mailId } = await importMail(await rawMail({ text: `My SSN is ${SSN}.` }));
    const adminUser = await buildStaff(t, { role: 'admin' });
    const admin = await signedInAgent(t, adminUser);
    const raw = await admin.get(`/staff/mail/${mailId}/raw`).expect(200);
    assert.ok(raw.body.toString().includes(SSN) || String(raw.text).includes(SSN));
    const [row] = await entries('raw_mail.viewed');
    assert.equal(row.actor, `staff:${adminUser.id}`);
    assert.equal(row.subject_type, 'inbound_mail');
    assert.equal(row.subject_id, String(mailId));

    // No audit log to write to: the download is refused, not sent unrecorded.
    await t.db.schema.dropTable('audit_log');
    const refused = await admin.get(`/staff/mail/${mailId}/raw`);
    assert.equal(refused.status, 500);
    assert.ok(!(refused.text ?? '').includes(SSN));
  });

  it('records each attachment download', async () => {
    const { reference } = await importMail(
      await rawMail({
        attachments: [{ filename: 'order.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' }],
      }),
    );
    const agentUser = await buildStaff(t);
    const agent = await signedInAgent(t, agentUser);
    const page = await agent.get(`/staff/tickets/${reference}`).expect(200);
    const link = /href="\/staff\/attachments\/(\d+)" download>order\.pdf/.exec(page.text);
    assert.ok(link);
    await agent.get(`/staff/attachments/${link[1]}`).expect(200);
    const [row] = await entries('attachment.downloaded');
    assert.equal(row.actor, `staff:${agentUser.id}`);
    assert.equal(row.subject_id, link[1]);
  });

  it('records reinstatements, declines and merges, with the change, from the address they came from', async () => {
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const act = async (reference: string, action: string, body: Record<string, string> = {}) => {
      const page = await admin.get(`/staff/tickets/${reference}`).expect(200);
      const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
      return admin
        .post(`/staff/tickets/${reference}/${action}`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), version, ...body })
        .expect(303);
    };

    const { ticket: review } = await buildReviewTicket(t);
    await act(review.reference, 'decline', { category: 'legal_advice' });
    const [declined] = await entries('ticket.declined');
    assert.equal(declined.subject_id, review.reference);
    assert.deepEqual(JSON.parse(declined.details), { reason: 'legal_advice' });
    assert.ok(declined.address);

    await act(review.reference, 'reinstate');
    const [reinstated] = await entries('ticket.reinstated');
    assert.equal(reinstated.subject_id, review.reference);

    const { ticket: duplicate } = await buildTicket(t);
    const { ticket: target } = await buildTicket(t);
    await act(duplicate.reference, 'merge', { into: target.reference });
    const [merged] = await entries('ticket.merged');
    assert.equal(merged.subject_id, duplicate.reference);
    assert.deepEqual(JSON.parse(merged.details), { into: target.reference });
  });

  it('records staff accounts added, disabled and enabled at /staff/users', async () => {
    const adminUser = await buildStaff(t, { role: 'admin' });
    const admin = await signedInAgent(t, adminUser);
    const page = await admin.get('/staff/users').expect(200);
    await admin
      .post('/staff/users')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        email: 'new.clerk@court.example',
        name: 'New Clerk',
        role: 'agent',
        password: 'a long enough passphrase',
      })
      .expect(303);
    const added = await t.db('staff_users').where({ email: 'new.clerk@court.example' }).first();
    const [row] = await entries('staff.added');
    assert.equal(row.actor, `staff:${adminUser.id}`);
    assert.equal(row.subject_id, String(added.id));
    assert.ok(!row.details?.includes('passphrase'));

    const again = await admin.get('/staff/users').expect(200);
    await admin
      .post(`/staff/users/${added.id}/disable`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(again.text) })
      .expect(303);
    await admin
      .post(`/staff/users/${added.id}/enable`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(again.text) })
      .expect(303);
    assert.equal((await entries('staff.disabled')).length, 1);
    assert.equal((await entries('staff.enabled')).length, 1);
  });

  it('lets only an administrator place and lift a legal hold, and records both', async () => {
    const { ticket } = await buildTicket(t);
    const agent = await signedInAgent(t, await buildStaff(t));
    const agentPage = await agent.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.doesNotMatch(agentPage.text, /Legal hold/);
    await agent
      .post(`/staff/tickets/${ticket.reference}/legal-hold/place`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(agentPage.text) })
      .expect(403);

    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const page = await admin.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.match(page.text, /Place a legal hold/);
    const placed = await admin
      .post(`/staff/tickets/${ticket.reference}/legal-hold/place`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    const held = await admin.get(placed.headers.location).expect(200);
    assert.match(held.text, /Legal hold placed/);
    assert.match(held.text, /Lift the legal hold/);
    assert.equal((await t.db('ticket_legal_holds').where({ ticket_id: ticket.id })).length, 1);
    await admin
      .post(`/staff/tickets/${ticket.reference}/legal-hold/lift`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(held.text) })
      .expect(303);
    assert.equal((await t.db('ticket_legal_holds').where({ ticket_id: ticket.id })).length, 0);
    assert.deepEqual(
      (await t.db('audit_log').whereIn('action', ['legal_hold.set', 'legal_hold.lifted']).orderBy('id')).map((r) => [
        r.action,
        r.subject_id,
      ]),
      [
        ['legal_hold.set', ticket.reference],
        ['legal_hold.lifted', ticket.reference],
      ],
    );
  });

  it('records outages declared, updated and ended, in the transaction of the change', async () => {
    const admin = await buildStaff(t, { role: 'admin', name: 'Ada Admin' });
    const outage = await t.services.outages.declare({ scope: 'cmecf', message: 'CM/ECF is down.', actor: `staff:${admin.id}` });
    await t.services.outages.update(outage.id, { message: 'Still down.', actor: `staff:${admin.id}` });
    await t.services.outages.end(outage.id, { actor: 'cli' });
    const rows = await t.db('audit_log').where('action', 'like', 'outage.%').orderBy('id');
    assert.deepEqual(
      rows.map((r) => [r.action, r.actor, r.actor_name, r.subject_type, r.subject_id, JSON.parse(r.details).scope]),
      [
        ['outage.declared', `staff:${admin.id}`, 'Ada Admin', 'outage', String(outage.id), 'cmecf'],
        ['outage.updated', `staff:${admin.id}`, 'Ada Admin', 'outage', String(outage.id), 'cmecf'],
        ['outage.ended', 'cli', null, 'outage', String(outage.id), 'cmecf'],
      ],
    );
  });

  it('refuses details that name a secret, and masks a private number that slips into them', async () => {
    const audit = createAuditService(t.db);
    await assert.rejects(
      audit.record({ actor: 'cli', action: 'staff.password_reset', details: { password: 'x' } }),
      /counts and references only/,
    );
    await audit.record({ actor: 'cli', action: 'staff.updated', details: { note: `SSN ${SSN}`, tickets: ['HD-2026-000123'] } });
    const [row] = await entries('staff.updated');
    assert.ok(!row.details.includes(SSN));
    assert.match(row.details, /HD-2026-000123/);
    await assert.rejects(audit.record({ actor: 'someone', action: 'staff.updated' }), /Unknown audit actor/);
  });

  describe('/staff/audit', () => {
    it('is for administrators only', async () => {
      const agent = await signedInAgent(t, await buildStaff(t));
      await agent.get('/staff/audit').expect(403);
      await request(t.app).get('/staff/audit').expect(303);
    });

    // The entries' table only: the filter form lists every action too.
    const table = (html: string) => /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';
    const rowCount = (html: string) => (table(html).match(/<tr>/g) ?? []).length;

    it('filters by who, what, dates on the court clock and reference, and pages through older entries', async () => {
      const at = (iso: string) => createAuditService(t.db, () => new Date(iso));
      const pat = { staffId: 41, name: 'Pat Clerk' };
      // 2026-11-02 07:30 UTC is still 1 November in Los Angeles.
      await at('2026-11-02T07:30:00Z').record({
        actor: pat,
        action: 'legal_hold.set',
        subject: { type: 'ticket', id: 'HD-2026-000007' },
      });
      await at('2026-11-03T18:00:00Z').record({ actor: 'system', action: 'retention.run', details: { tickets: 3 } });
      for (let i = 0; i < 120; i += 1)
        await at(`2026-11-10T12:00:${String(i % 60).padStart(2, '0')}Z`).record({
          actor: { staffId: 42, name: 'Lee Admin' },
          action: 'original.viewed',
          subject: { type: 'ticket', id: `HD-2026-${String(1000 + i).padStart(6, '0')}` },
        });
      const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));

      const first = await admin.get('/staff/audit').expect(200);
      assert.equal(rowCount(first.text), 50);
      assert.match(table(first.text), /Viewed the unmasked originals of a ticket/);
      const next = /href="(\/staff\/audit\?[^"]*before=\d+)"/.exec(first.text)?.[1].replace(/&amp;/g, '&');
      assert.ok(next, 'a link to older entries');
      const second = await admin.get(next).expect(200);
      assert.equal(rowCount(second.text), 50);
      const last = /href="(\/staff\/audit\?[^"]*before=\d+)"/.exec(second.text)?.[1].replace(/&amp;/g, '&') as string;
      const third = await admin.get(last).expect(200);
      // 120 views, 2 other entries and the administrator's own sign-in, if recorded.
      assert.ok(rowCount(third.text) >= 22);
      assert.doesNotMatch(third.text, /Older entries/);

      const byName = await admin.get('/staff/audit?actor=pat').expect(200);
      assert.match(table(byName.text), /Placed a legal hold on a ticket/);
      assert.doesNotMatch(table(byName.text), /Viewed the unmasked/);
      const byActor = await admin.get('/staff/audit?actor=system').expect(200);
      assert.match(table(byActor.text), /Retention run finished/);
      assert.match(table(byActor.text), /tickets: 3/);
      assert.doesNotMatch(table(byActor.text), /Placed a legal hold/);
      const byAction = await admin.get('/staff/audit?action=legal_hold.set').expect(200);
      assert.equal(rowCount(byAction.text), 1);
      const byDay = await admin.get('/staff/audit?from=2026-11-01&to=2026-11-01').expect(200);
      assert.match(table(byDay.text), /Placed a legal hold/);
      assert.doesNotMatch(table(byDay.text), /Retention run finished|Viewed the unmasked/);
      const byRange = await admin.get('/staff/audit?from=2026-11-02&to=2026-11-05').expect(200);
      assert.match(table(byRange.text), /Retention run finished/);
      assert.doesNotMatch(table(byRange.text), /Placed a legal hold|Viewed the unmasked/);
      const byReference = await admin.get('/staff/audit?reference=hd-2026-001005').expect(200);
      assert.equal(rowCount(byReference.text), 1);
      assert.match(table(byReference.text), /href="\/staff\/tickets\/HD-2026-001005"/);

      const bad = await admin.get('/staff/audit?from=2026-13-01&to=2026-11-01&action=nope').expect(400);
      assert.match(bad.text, /Choose an action from the list/);
      const backwards = await admin.get('/staff/audit?from=2026-11-05&to=2026-11-01').expect(400);
      assert.match(backwards.text, /must not come before the start date/);
    });
  });
});
