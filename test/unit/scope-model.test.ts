import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectLanguage } from '../../src/policy/detect-language';
import { isHoldout, loadLabelledRequests, loadRefusedSentences, textOf } from '../../src/policy/labelled-requests';
import { judgeRequest } from '../../src/policy/scope-decision';
import { loadScopeRules, readSentences } from '../../src/policy/scope-guard';
import { featuresOf, piecesOf, requestReaders, sentenceFeaturesOf } from '../../src/policy/scope-features';
import { loadScopeModel } from '../../src/policy/scope-model';
import { sentencedExampleOf, trainingDigest, trainRegressions, untrainedModel } from '../../src/policy/scope-training';

describe('the scope model', () => {
  const { train, holdout } = loadLabelledRequests();

  it('is the one `npm run train:scope` builds from today’s labelled requests (run it after changing them)', () => {
    assert.equal(loadScopeModel().trainedOn, trainingDigest(train), 'policy/scope-model.json is stale: run npm run train:scope');
  });

  it('has the weights that training on `train` gives today (run npm run train:scope after changing how it learns)', function () {
    this.timeout(180_000);
    const committed = loadScopeModel();
    const fresh = trainRegressions(loadScopeRules(undefined, untrainedModel()), train);
    for (const regression of ['request', 'sentence', 'pieces'] as const) {
      assert.deepEqual(fresh[regression].bias, committed[regression].bias, regression);
      assert.equal(Object.keys(fresh[regression].weights).length, Object.keys(committed[regression].weights).length, regression);
      for (const [feature, weights] of Object.entries(fresh[regression].weights))
        assert.deepEqual(weights, committed[regression].weights[feature], `${regression} ${feature}`);
    }
  });

  it('keeps the holdout apart: the split is fixed by the seed, and no holdout request is trained on', () => {
    assert.ok(holdout.length >= 300, `holdout has ${holdout.length} requests`);
    const trainIds = new Set(train.map((item) => item.id));
    assert.ok(holdout.every((item) => isHoldout(item.id) && !trainIds.has(item.id)));
    // The first set (ids t001…) was written alongside the rules, so it is always tuned on.
    assert.ok(train.filter((item) => item.id.includes('-')).every((item) => !isHoldout(item.id)));
  });

  it('has the refused sentences marked on refused `train` requests only, each still a sentence the guard finds', () => {
    const rules = loadScopeRules(undefined, untrainedModel());
    const marked = train.filter((item) => item.refusedSentences);
    assert.ok(marked.length >= 3000, `${marked.length} requests marked`);
    // Every mark in the file is on a refused `train` request: none on the holdout, none on an id that is gone.
    const refusedTrain = new Set(train.filter((item) => item.expected !== 'accept').map((item) => item.id));
    const strays = [...loadRefusedSentences().keys()].filter((id) => !refusedTrain.has(id));
    assert.deepEqual(strays, [], 'refused-sentences.jsonl marks requests that are not refused train requests');
    for (const item of marked) {
      assert.notEqual(item.expected, 'accept', item.id);
      const sentences = new Set(readSentences(rules, item, item.lang ?? detectLanguage(textOf(item))).map((r) => r.sentence));
      const lost = item.refusedSentences!.filter((sentence) => !sentences.has(sentence));
      assert.deepEqual(lost, [], `${item.id}: marked sentences the guard no longer splits out (mark it again)`);
    }
  });

  it('trains the sentence regression on the marked sentences, a short one read with the one before it', () => {
    const rules = loadScopeRules(undefined, untrainedModel());
    const item = {
      id: 'x1',
      subject: 'default',
      body: 'Defendant never answered. If I file for default judgment, will the judge grant it? How likely? Which event is the default?',
      expected: 'legal_advice' as const,
      mixed: true,
      lang: 'en' as const,
      refusedSentences: ['If I file for default judgment, will the judge grant it?'],
    };
    const example = sentencedExampleOf(rules, item);
    assert.equal(example.marked, true);
    assert.deepEqual(
      example.sentences.filter((s) => s.marked).map((s) => s.text),
      [
        'If I file for default judgment, will the judge grant it?',
        'If I file for default judgment, will the judge grant it? How likely?',
      ],
    );
    // Marks that match no sentence (the request was cut differently when marked) leave it to be guessed.
    assert.equal(sentencedExampleOf(rules, { ...item, refusedSentences: ['Will the judge grant it?'] }).marked, false);
  });

  it('tells Spanish from English on every labelled request', () => {
    const all = [...train, ...holdout].filter((item) => item.lang);
    const wrong = all.filter((item) => detectLanguage(textOf(item)) !== item.lang);
    assert.ok(
      wrong.length / all.length <= 0.01,
      `${wrong.length} of ${all.length} in the wrong language: ${wrong.map((i) => i.id).join(', ')}`,
    );
  });

  it('reads a request and its sentences the same whether their shared sentences are read once or again', () => {
    // The decision reads each stretch between sentence ends once per request (requestReaders); what
    // it reads must be what reading each text alone gives, in the same order (sums are added in it).
    const texts = [
      'Subject line\nI can’t log in. Should I appeal? The judge dismissed my case! Does that count?',
      '¿Debo apelar? El juez desestimó mi caso.\nNo puedo subir el PDF (12 MB). ¿Qué hago?',
      'Case 1:23-cv-01234-ABC: my   attorney’s   letter… please tell Judge Ames.',
      'Should I appeal? The judge dismissed my case!',
      'The judge dismissed my case! Does that count?',
      '',
    ];
    const read = requestReaders();
    const order = (counts: Map<string, number>) => [...counts];
    for (const language of ['en', 'es'] as const)
      for (const text of [...texts, ...texts]) {
        assert.deepEqual(order(read.features(text, language)), order(featuresOf(text, language)), text);
        assert.deepEqual(order(read.sentenceFeatures(text, language)), order(sentenceFeaturesOf(text, language)), text);
        assert.deepEqual(order(read.pieces(text, language)), order(piecesOf(text)), text);
      }
  });
});

describe('the scope decision', () => {
  const rules = loadScopeRules();

  it('refuses in Spanish, and names the sentence and the words that weighed most, never a bare score', () => {
    const decision = judgeRequest(rules, {
      subject: 'pregunta sobre mi caso',
      body: 'Hola, el abogado de la otra parte me mandó una carta. ¿Usted cree que debo aceptar el acuerdo o es mejor ir a juicio? No sé qué hacer.',
    });
    assert.equal(decision.language, 'es');
    assert.notEqual(decision.outcome, 'accept');
    assert.ok(decision.reasons.length > 0);
    for (const reason of decision.reasons) {
      assert.ok(reason.excerpt.length > 0);
      if (reason.rule === 'model') assert.ok(reason.words && reason.words.length > 0, 'the model names its words');
    }
  });

  it('names the words that weighed most even when the filer misspells them (their word pieces are read too)', () => {
    const body = 'the judge dismised my case yesterday. shoud i apeal or refile it in state court??';
    const decision = judgeRequest(rules, { subject: 'my case', body });
    assert.notEqual(decision.outcome, 'accept');
    const [reason] = decision.reasons;
    assert.equal(reason.rule, 'model');
    assert.ok(body.includes(reason.excerpt), reason.excerpt);
    assert.ok(reason.words && reason.words.length > 0, 'the model names its words');
    // As the filer wrote them, from the sentence quoted: not stems, pieces or features.
    for (const word of reason.words) assert.ok(reason.excerpt.toLowerCase().includes(word), word);
  });

  it('accepts a plainly technical request, in either language', () => {
    assert.equal(
      judgeRequest(rules, {
        subject: 'PDF upload',
        body: 'My PDF will not upload to CM/ECF, it says the file is too large. It is 40 MB.',
      }).outcome,
      'accept',
    );
    assert.equal(
      judgeRequest(rules, {
        subject: 'contraseña',
        body: 'No puedo entrar a mi cuenta de PACER, olvidé mi contraseña. ¿Cómo la cambio?',
      }).outcome,
      'accept',
    );
  });

  it('reads Spanish requests with the Spanish rules, and English ones with the English rules only', () => {
    const ruled = (body: string, language: 'en' | 'es') =>
      readSentences(rules, { body }, language).flatMap((s) => s.reasons.map((r) => r.rule));
    // Asked, the rule trips; the same verb stating what the filer must do does not.
    assert.deepEqual(ruled('¿Debo apelar la sentencia o llegar a un acuerdo?', 'es'), ['es-what-to-do']);
    assert.deepEqual(ruled('Debo presentar mi respuesta esta semana y no encuentro el evento.', 'es'), []);
    assert.deepEqual(ruled('Por favor, dígale a la jueza Ramírez que llegaré tarde.', 'es'), ['es-relay-to-judge']);
    assert.deepEqual(ruled('Por favor, dígale a la jueza Ramírez que llegaré tarde.', 'en'), []);
    assert.ok(ruled('Please tell the judge I will be late.', 'es').length === 0);
    // A mixed Spanish request: the technical question is answered and the refused part declined.
    const mixed = judgeRequest(rules, {
      subject: 'contraseña y apelación',
      body: 'No puedo iniciar sesión en PACER, ¿cómo cambio mi contraseña? También, ¿usted cree que debo apelar la sentencia? ¿Qué me aconseja?',
    });
    assert.equal(mixed.language, 'es');
    assert.equal(mixed.outcome, 'accept');
    assert.deepEqual(mixed.declined, ['legal_advice']);
  });

  it('decides on bad input without an error: empty, 100,000 characters, mixed scripts, only a forwarded notice', () => {
    const notice = readFileSync(path.join(__dirname, '..', 'fixtures', 'triage', 'README.md'), 'utf8');
    const inputs = [
      { body: '' },
      { subject: '', body: '   \n\n  ' },
      { body: 'x'.repeat(100_000) },
      { body: 'Should I appeal? '.repeat(6_000) },
      { body: 'Помогите 帮帮我 مساعدة ayuda help 🙏 ¿debo apelar? Ω≈ç√' },
      { body: `---------- Forwarded message ---------\n${notice}` },
    ];
    for (const input of inputs) {
      const started = process.hrtime.bigint();
      const decision = judgeRequest(rules, input);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(['accept', 'review', 'refuse'].includes(decision.outcome));
      assert.ok(decision.confidence >= 0 && decision.confidence <= 1);
      assert.ok(ms < 2_000, `${ms} ms for ${input.body.length} characters`);
    }
    assert.equal(judgeRequest(rules, { body: '' }).outcome, 'accept');
  });
});
