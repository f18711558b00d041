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
      const { text, html } = renderEmail('staff-reply', data);
      assert.match(text, /Sam <Staff>/);
      assert.doesNotMatch(text, /&lt;|&amp;|&#39;/);
      assert.match(html, /Sam &lt;Staff&gt;/);
    }
  });
});
