import assert from 'node:assert/strict';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

type Agent = InstanceType<typeof TestAgent>;

const search = async (t: TestApp, q: string, lang?: string, mode?: string) =>
  (
    await request(t.app)
      .get('/api/faq/search')
      .query({ q, ...(lang ? { lang } : {}), ...(mode ? { mode } : {}) })
      .expect(200)
  ).body.results as Array<{ id: string; title: string }>;

describe('the FAQ in Spanish', () => {
  let t: TestApp;
  let editor: Agent;

  beforeEach(async () => {
    t = await buildTestApp();
    editor = await signedInAgent(t, await buildStaff(t, { name: 'Eva Editora', role: 'editor' }));
  });
  afterEach(() => t.close());

  it('stores every shipped answer in English and in Spanish, under the same ids', async () => {
    const rows = (await t.db('faq_answers').select('id', 'language')) as Array<{ id: string; language: string }>;
    const ids = (language: string) =>
      rows
        .filter((r) => r.language === language)
        .map((r) => r.id)
        .sort();
    assert.ok(ids('en').length >= 58);
    assert.deepEqual(ids('es'), ids('en'));
    assert.ok((await t.db('faq_synonyms').where({ language: 'es' })).length > 20, 'Spanish synonyms seeded');
  });

  it('searches the Spanish answers with lang=es: accents left out, typos, synonyms and question words', async () => {
    const cases: Array<[string, string]> = [
      ['olvide mi contrasena', 'forgot-password'],
      ['se me olvidó la clave', 'forgot-password'],
      ['como pago la tarifa', 'pay-filing-fee'],
      ['¿Cómo presento una demanda nueva?', 'file-new-civil-case'],
      ['emplasamiento', 'get-summons'],
      ['no me llegan los avisos', 'not-receiving-notices'],
    ];
    for (const [q, id] of cases) {
      const results = await search(t, q, 'es');
      assert.equal(results[0]?.id, id, `"${q}" found ${results.map((r) => r.id).join(', ')}`);
    }
    const [first] = await search(t, 'contraseña', 'es');
    assert.match(first.title, /Olvidé mi contraseña/);
    // English stays English when no language is asked for.
    const [english] = await search(t, 'forgot password');
    assert.equal(english.id, 'forgot-password');
    assert.match(english.title, /^I forgot my CM\/ECF password/);
    // Suggestions from a whole request (mode any), as the request form asks in Spanish.
    const suggested = await search(t, 'Buenas tardes, me cobraron dos veces la cuota de presentación en mi caso', 'es', 'any');
    assert.equal(suggested[0]?.id, 'duplicate-fee-refund');
    await request(t.app).get('/api/faq/search').query({ q: 'x', lang: 'fr' }).expect(400);
  });

  it('shows /faq and its search in Spanish when the page is Spanish', async () => {
    const page = await request(t.app).get('/faq').query({ lang: 'es', q: 'cuota de presentacion' }).expect(200);
    assert.match(page.text, /<html lang="es"/);
    assert.match(page.text, /href="\/faq\/pay-filing-fee">¿Cómo pago una cuota de presentación en CM\/ECF\?/);
    const browse = await request(t.app).get('/faq').set('Cookie', 'lang=es').expect(200);
    assert.match(browse.text, /¿Qué es CM\/ECF y en qué se diferencia de PACER\?/);
  });

  it('shows the Spanish answer on /faq/:id, with the court facts in Spanish, and the API gives it with lang=es', async () => {
    const page = await request(t.app).get('/faq/helpdesk-hours').query({ lang: 'es' }).expect(200);
    assert.match(page.text, /<h1>¿Cuándo está abierta la mesa de ayuda de CM\/ECF/);
    assert.match(page.text, /<div class="answer" lang="es">/);
    assert.match(page.text, /Lunes a viernes, de 9:00 a\.m\. a 4:00 p\.m\./);
    assert.match(page.text, /ecfhelp@example\.gov/);
    assert.match(page.text, /href="\/faq\/schedule-callback">¿Puedo programar una llamada/, 'related answers in Spanish');
    assert.doesNotMatch(page.text, /todavía no está traducida/);
    const api = await request(t.app).get('/api/faq/helpdesk-hours').query({ lang: 'es' }).expect(200);
    assert.equal(api.body.language, 'es');
    assert.match(api.body.title, /mesa de ayuda/);
    const english = await request(t.app).get('/faq/helpdesk-hours').expect(200);
    assert.match(english.text, /<h1>When is the CM\/ECF helpdesk open/);
  });

  it('shows the English answer, saying so, until staff publish its Spanish version, which is then searchable at once', async () => {
    const newPage = await editor.get('/staff/faq/new').expect(200);
    await editor
      .post('/staff/faq/new/publish')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(newPage.text),
        id: 'kiosk-printing',
        title: 'Can I print at the courthouse kiosk?',
        category: 'Getting help',
        keywords: 'kiosk, print',
        body: 'Yes: the kiosk in the lobby prints filed documents for a small fee per page.',
      })
      .expect(303);

    const untranslated = await request(t.app).get('/faq/kiosk-printing').query({ lang: 'es' }).expect(200);
    assert.match(untranslated.text, /Esta respuesta todavía no está traducida al español/);
    assert.match(untranslated.text, /<h1 lang="en">Can I print at the courthouse kiosk\?<\/h1>/);
    assert.match(untranslated.text, /<div class="answer" lang="en">/);
    assert.deepEqual(await search(t, 'quiosco', 'es'), []);

    const edit = await editor.get('/staff/faq/kiosk-printing/edit?lang=es').expect(200);
    assert.match(edit.text, /Not written in this language yet/);
    assert.match(edit.text, /the kiosk in the lobby prints/, 'the English text to start from');
    assert.match(
      edit.text,
      /action="\/staff\/faq\/kiosk-printing\/publish\?lang=es"|formaction="\/staff\/faq\/kiosk-printing\/publish\?lang=es"/,
    );
    const published = await editor
      .post('/staff/faq/kiosk-printing/publish?lang=es')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(edit.text),
        title: '¿Puedo imprimir en el quiosco del tribunal?',
        category: 'Getting help',
        keywords: 'quiosco, imprimir',
        asks: '',
        related: '',
        body: 'Sí: el quiosco del vestíbulo imprime documentos presentados por una pequeña tarifa por página.',
        baseNumber: '',
      })
      .expect(303);
    assert.equal(published.headers.location, '/staff/faq/kiosk-printing/history?lang=es&done=published');

    assert.equal((await search(t, 'quiosco', 'es'))[0]?.id, 'kiosk-printing');
    const translated = await request(t.app).get('/faq/kiosk-printing').query({ lang: 'es' }).expect(200);
    assert.match(translated.text, /<h1>¿Puedo imprimir en el quiosco del tribunal\?<\/h1>/);
    assert.doesNotMatch(translated.text, /todavía no está traducida/);
    // The English answer is untouched; each language keeps its own history.
    assert.match((await request(t.app).get('/faq/kiosk-printing').expect(200)).text, /<h1>Can I print at the courthouse kiosk\?/);
    const versions = await t.db('faq_versions').where({ answer_id: 'kiosk-printing' }).orderBy('language');
    assert.deepEqual(
      versions.map((v) => [v.language, Number(v.number)]),
      [
        ['en', 1],
        ['es', 1],
      ],
    );
    const history = await editor.get('/staff/faq/kiosk-printing/history?lang=es').expect(200);
    assert.match(history.text, /History of an answer \(Spanish/);
    const synonyms = await editor.get('/staff/faq/synonyms?lang=es').expect(200);
    assert.match(synonyms.text, /contraseña, clave, password/);
    assert.match(synonyms.text, /action="\/staff\/faq\/synonyms\?lang=es"/);
    const list = await editor.get('/staff/faq').expect(200);
    assert.match(list.text, /href="\/staff\/faq\/kiosk-printing\/edit\?lang=es">Published/);
  });

  it('suggests Spanish answers to a request written in Spanish', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send({
        name: 'María López',
        email: 'maria@example.com',
        subject: 'No puedo entrar',
        body: 'Hola, se me olvidó mi contraseña de PACER y no puedo entrar para presentar mis documentos. Gracias.',
      })
      .expect(201);
    const suggestions = res.body.suggestions as Array<{ id: string; title: string; url: string }>;
    assert.ok(suggestions.length > 0);
    assert.equal(suggestions[0].id, 'forgot-password');
    assert.match(suggestions[0].title, /contraseña/);
    assert.equal(suggestions[0].url, '/faq/forgot-password?lang=es&from=request');
  });
});
