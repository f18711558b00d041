import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderEmail } from '../../src/mail/outbound/render-email';
import { PROJECT_ROOT } from '../../src/paths';

const EMAIL_VIEWS = path.join(PROJECT_ROOT, 'views', 'emails');

describe('email templates', () => {
  it('include only partials of their own kind, so the cache of compiled partials never mixes escaping', () => {
    for (const file of readdirSync(EMAIL_VIEWS)) {
      const kind = file.endsWith('.text.ejs') ? 'text' : 'html';
      const included = [...readFileSync(path.join(EMAIL_VIEWS, file), 'utf8').matchAll(/include\('([^']+)'/g)].map((m) => m[1]);
      for (const partial of included) assert.ok(partial.endsWith(`.${kind}.ejs`), `${file} includes ${partial}`);
    }
  });

  it('escapes HTML in the HTML part only, however many times a template is rendered', () => {
    const data = {
      court: { name: 'Court <of> Tests', shortName: 'Tests' },
      helpdesk: { name: 'Help', email: 'help@court.example', phone: '555-0100' },
      baseUrl: 'https://help.court.example',
      ticket: { reference: 'HD-2026-000001', requesterName: "Pat O'Brien <pat>", subject: 'A & B' },
      staffName: 'Sam <Staff>',
      body: 'Try again & tell us.',
    };
    for (let i = 0; i < 3; i += 1) {
      const { text, html } = renderEmail('staff-reply', data, { subject: 'Re: A & B' });
      assert.match(text, /Sam <Staff>/);
      assert.match(text, /Court <of> Tests/, 'the signature, in the frame, is not escaped in plain text either');
      assert.doesNotMatch(text, /&lt;|&amp;|&#39;/);
      assert.match(html, /Sam &lt;Staff&gt;/);
      assert.match(html, /<title>Re: A &amp; B<\/title>/);
      assert.match(html, /Court &lt;of&gt; Tests/);
    }
  });

  it('puts every message in the frame: signed by the helpdesk unless told not to', () => {
    const data = {
      court: { name: 'Court of Tests' },
      helpdesk: { phone: '555-0100' },
      baseUrl: 'https://help.court.example',
      tickets: [],
      targetHours: 8,
      queueUrl: 'https://help.court.example/staff?sort=due',
    };
    const signed = renderEmail('overdue-alert', data, { subject: 'Overdue' });
    assert.match(signed.text, /\n--\nCourt of Tests — CM\/ECF Helpdesk\nPhone: 555-0100\nhttps:\/\/help\.court\.example\n$/);
    assert.match(signed.html, /^<!doctype html>[\s\S]*Court of Tests — CM\/ECF Helpdesk[\s\S]*<\/html>\n$/);
    const unsigned = renderEmail('overdue-alert', data, { subject: 'Overdue', signed: false });
    assert.doesNotMatch(unsigned.text, /CM\/ECF Helpdesk|^--$/m);
    assert.doesNotMatch(unsigned.html, /CM\/ECF Helpdesk/);
    assert.match(unsigned.html, /<title>Overdue<\/title>[\s\S]*<\/html>\n$/);
  });
});
