import assert from 'node:assert/strict';
import request from 'supertest';
import { readCatalogues } from '../../src/i18n/i18n';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildTicket } from '../helpers/factories';

const PUBLIC_URL = 'http://help.court.example';
// Monday, November 23, 2026 at 10:00 a.m. Pacific: open, with closures and maintenance ahead.
const MONDAY_1000 = new Date('2026-11-23T18:00:00Z');

const catalogues = readCatalogues();
const NAMESPACES = Object.keys(catalogues.en);

/** The text a reader sees: no scripts, styles or tags; parts marked lang="en" (names of things, the switch) left out. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)[^>]*\slang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/** Text that looks like a catalogue key shown raw: `home:can.heading`, `common:nav.faq`. */
function rawKeys(html: string): string[] {
  const pattern = new RegExp(`\\b(?:${NAMESPACES.join('|')}):[a-zA-Z][\\w.-]*`, 'g');
  // Attribute values count too (a placeholder or aria-label can show a raw key).
  return [
    ...new Set(
      [...visibleText(html).matchAll(pattern), ...html.matchAll(new RegExp(`"${pattern.source}"`, 'g'))].map((m) => m[0]),
    ),
  ];
}

function flatten(messages: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  return Object.entries(messages).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object'
      ? flatten(value as Record<string, unknown>, path)
      : [[path, String(value)]];
  });
}

// The English sentences of the catalogues (those with a different Spanish), without their placeholders:
// none may show on a Spanish page.
const ENGLISH_SENTENCES = NAMESPACES.flatMap((ns) => {
  const spanish = new Map(flatten(catalogues.es[ns] ?? {}));
  return flatten(catalogues.en[ns])
    .filter(([key, text]) => spanish.get(key) !== text)
    .flatMap(([, text]) => text.split(/\{\{[^}]*\}\}/))
    .map((part) => part.trim())
    .filter((part) => part.length >= 24);
});

// Sentences written into pages before they had catalogues: they must not come back on a Spanish page.
const KNOWN_ENGLISH = [
  'Skip to main content',
  'What we can help with',
  'Search the answers',
  'Ask the helpdesk',
  'Is CM/ECF working?',
  'Everything is working normally',
  'Report a problem',
  'Please correct',
  'We could not find',
  'Go to the helpdesk home page',
  'Did this answer your question?',
  '(optional)',
  'See the status page',
];

function assertSpanish(html: string, page: string): void {
  assert.match(html, /<html lang="es">/, `${page}: <html lang>`);
  assert.deepEqual(rawKeys(html), [], `${page}: raw catalogue keys`);
  const text = visibleText(html);
  const english = [...ENGLISH_SENTENCES, ...KNOWN_ENGLISH].filter((s) => text.includes(s));
  assert.deepEqual(english, [], `${page}: English on the Spanish page`);
}

describe('public pages in English and Spanish', function () {
  let t: TestApp;
  let pages: string[];

  before(async () => {
    t = await buildTestApp({ now: () => MONDAY_1000, env: { PUBLIC_URL } });
    const outage = await t.services.outages.declare({
      scope: 'cmecf',
      message: 'CM/ECF no acepta documentos. / CM/ECF is not accepting filings.',
      startedAt: '2026-11-23T08:40',
      actor: 'cli',
    });
    const report = await request(t.app)
      .post('/api/status/reports')
      .send({ name: 'Pat Filer', email: 'pat@example.com', scope: 'cmecf', description: 'No puedo presentar.' })
      .expect(201);
    const ticket = await buildTicket(t);
    const faqId = (await request(t.app).get('/faq').expect(200)).text.match(/href="\/faq\/([a-z0-9-]+)"/)?.[1];
    assert.ok(faqId && outage.id);
    pages = [
      '/',
      '/hours',
      '/faq',
      '/faq?q=password',
      '/faq?q=zzqqxx',
      `/faq/${faqId}`,
      '/status',
      '/status/report',
      new URL(report.body.receiptUrl).pathname,
      '/no-such-page',
      '/help',
      '/callbacks',
      `/requests/${ticket.statusToken}`,
    ];
  });
  after(() => t.close());

  it('shows every public page in Spanish with ?lang=es, with <html lang="es"> and no raw key or English sentence', async () => {
    const problems: string[] = [];
    for (const page of pages) {
      const res = await request(t.app).get(`${page}${page.includes('?') ? '&' : '?'}lang=es`);
      try {
        assertSpanish(res.text, page);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('keeps the choice in the lang cookie, and follows Accept-Language when there is no choice', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/?lang=es').expect(200);
    assert.match(String(first.headers['set-cookie']), /lang=es/);
    for (const page of ['/hours', '/status', '/faq']) assertSpanish((await agent.get(page).expect(200)).text, `${page} (cookie)`);
    for (const page of ['/', '/status/report'])
      assertSpanish(
        (await request(t.app).get(page).set('Accept-Language', 'es-MX,es;q=0.9,en;q=0.5')).text,
        `${page} (Accept-Language)`,
      );
  });

  it('shows every public page in English by default, with <html lang="en"> and no raw key', async () => {
    for (const page of pages) {
      const res = await request(t.app).get(page);
      assert.match(res.text, /<html lang="en">/, page);
      assert.deepEqual(rawKeys(res.text), [], page);
    }
  });

  it('gives the request form’s live suggestions a heading in the page language', async () => {
    const es = (await request(t.app).get('/help?lang=es').expect(200)).text;
    assert.match(es, /id="suggestions"[^>]*data-heading="Estas respuestas pueden resolver su problema/);
    const en = (await request(t.app).get('/help').expect(200)).text;
    assert.match(en, /id="suggestions"[^>]*data-heading="These answers may solve your problem/);
  });

  it('writes dates, times and hours the Spanish way', async () => {
    const hours = visibleText((await request(t.app).get('/hours?lang=es').expect(200)).text);
    assert.match(hours, /Lunes a viernes: de 9:00 a\.m\. a 4:00 p\.m\./);
    assert.match(hours, /jueves, 26 de noviembre de 2026/);
    assert.match(hours, /Día de Acción de Gracias/);
    assert.match(hours, /Los sábados, de 6:00 a\.m\. a 10:00 a\.m\./);
    const status = visibleText((await request(t.app).get('/status?lang=es').expect(200)).text);
    assert.match(status, /lunes, 23 de noviembre de 2026, a las 8:40 a\.m\. PST/);
  });

  it('shows form errors in the page language, and a form sent from a ?lang=xx page loses nothing', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/status/report?lang=es').expect(200);
    const csrf = form.text.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const action = form.text.match(/<form method="post" action="([^"]+)"/)?.[1] as string;
    const sent = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrf, scope: 'cmecf', description: 'No funciona el botón Enviar.', name: 'Ana', email: 'no-es-correo' })
      .expect(400);
    assertSpanish(sent.text, 'report with errors');
    assert.match(visibleText(sent.text), /no parece una dirección de correo electrónico/);
    assert.match(sent.text, /No funciona el botón Enviar\./);

    // An unknown language: the page says so, and the form sent from it keeps what was typed.
    const odd = request.agent(t.app);
    const page = await odd.get('/status/report?lang=xx').expect(200);
    assert.match(page.text, /not available in “xx”/);
    const oddAction = page.text.match(/<form method="post" action="([^"]+)"/)?.[1] as string;
    const oddCsrf = page.text.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const back = await odd
      .post(oddAction)
      .type('form')
      .send({ _csrf: oddCsrf, scope: 'cmecf', description: 'Error 500 on Submit.', name: 'Ana', email: 'bad' })
      .expect(400);
    assert.match(back.text, /Error 500 on Submit\./);
    assert.match(back.text, /<html lang="en">/);
    // Sent to an address that still carries ?lang=xx: the notice again, and nothing typed is lost.
    const again = await odd
      .post(`${oddAction}?lang=xx`)
      .type('form')
      .send({ _csrf: oddCsrf, scope: 'cmecf', description: 'Error 500 on Submit.', name: 'Ana', email: 'bad' })
      .expect(400);
    assert.match(again.text, /not available in “xx”/);
    assert.match(again.text, /Error 500 on Submit\./);
    assert.match(again.text, /value="Ana"/);
  });
});
