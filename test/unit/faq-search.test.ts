import assert from 'node:assert/strict';
import type { FaqAnswer } from '../../src/faq/faq-content';
import { buildFaqIndex, createFaqSearch } from '../../src/faq/faq-search';
import { reduceQuestion } from '../../src/faq/search-question';
import { compileSynonyms, loadSynonyms, parseSynonyms } from '../../src/faq/search-synonyms';
import { termOf, wordsOf } from '../../src/faq/search-text';
import { planQuery } from '../../src/faq/search-plan';
import { rankByCoverage } from '../../src/faq/search-rank';
import { buildVocabulary, editDistanceWithin, typosAllowed } from '../../src/faq/search-vocabulary';

/** An answer with only what the search reads; the body is plain text. */
function answer(fields: Partial<FaqAnswer> & { id: string; text: string }): FaqAnswer {
  return {
    title: fields.id.replace(/-/g, ' '),
    category: 'Filing',
    keywords: [],
    asks: [],
    related: [],
    html: `<p>${fields.text}</p>`,
    ...fields,
  };
}

const ids = (results: Array<{ id: string }>) => results.map((r) => r.id);

describe('FAQ search', () => {
  describe('synonyms, applied to the query', () => {
    const answers = [
      answer({
        id: 'missing-link',
        title: 'My Notice of Electronic Filing has no document link',
        text: 'Some entries are text only, so the notice of electronic filing has nothing to open.',
      }),
      answer({ id: 'court-email-settings', title: 'Changing how court email looks', text: 'Choose the format of court email.' }),
      answer({ id: 'unrelated', title: 'Paying a fee', text: 'Pay the fee with a card when you file.' }),
    ];
    const groups = [['notice of electronic filing', 'NEF', 'email from the court']];

    it('finds an answer by a word of the same group that the answer does not use', () => {
      const faq = createFaqSearch(answers, groups);
      assert.equal(faq.search('NEF no link')[0]?.id, 'missing-link');
      // Without the group, "NEF" is a word no answer has.
      assert.deepEqual(ids(createFaqSearch(answers).search('NEF')), []);
      // "email from the court" is in the group too.
      assert.deepEqual(ids(faq.search('NEF')).sort(), ['court-email-settings', 'missing-link']);
    });

    it('counts a synonym for less than the word typed', () => {
      const faq = createFaqSearch(
        [
          answer({ id: 'says-nef', title: 'About the NEF', text: 'The NEF is sent for every filing.' }),
          answer({ id: 'says-notice', title: 'About the notice of electronic filing', text: 'It is sent for every filing.' }),
        ],
        groups,
      );
      assert.deepEqual(ids(faq.search('nef ')), ['says-nef', 'says-notice']);
      assert.deepEqual(ids(faq.search('notice of electronic filing ')), ['says-notice', 'says-nef']);
    });

    it('takes the synonyms it is given: a new group changes the next search object, not the index', () => {
      const before = createFaqSearch(answers, []);
      const after = createFaqSearch(answers, [['card', 'credit card', 'plastic']]);
      assert.deepEqual(ids(before.search('plastic')), []);
      assert.deepEqual(ids(after.search('plastic')), ['unrelated']);
    });

    it('recognises a member that is all small words but does not look for what would be left of it', () => {
      const table = compileSynonyms([['stopped getting', 'not receiving', 'sign in']]);
      const words = wordsOf("I stopped getting them and can't sign in");
      const [match] = table.find(words);
      assert.deepEqual(
        match.words.map((i) => words[i]),
        ['stopped', 'getting'],
      );
      // "not receiving" is looked for; "sign in" would be looked for as "sign" (documents), so is not.
      assert.deepEqual(match.alternatives, [['not', 'receiv']]);
    });

    it('reads the groups from YAML, refusing a group of one', () => {
      assert.deepEqual(parseSynonyms('- [PACER, Public Access to Court Electronic Records]\n'), [
        ['PACER', 'Public Access to Court Electronic Records'],
      ]);
      assert.throws(() => parseSynonyms('- [alone]\n'), /at least two/);
      assert.throws(() => parseSynonyms('groups: 3\n'), /synonyms/);
      const shipped = loadSynonyms();
      assert.ok(shipped.length >= 50, `only ${shipped.length} groups in faq-content/synonyms.yaml`);
    });
  });

  describe('typos', () => {
    const faq = createFaqSearch([
      answer({ id: 'registration', title: 'Registration for electronic filing', text: 'Registration takes a week.' }),
      answer({ id: 'password', title: 'Resetting a password', text: 'Reset your password on the PACER website.' }),
      answer({ id: 'fees', title: 'Fees', text: 'The fee for a new case.' }),
    ]);

    it('allows two typos in a word of eight letters or more', () => {
      assert.equal(faq.search('regstraton ')[0]?.id, 'registration');
      assert.equal(faq.search('registartion ')[0]?.id, 'registration');
    });

    it('allows one typo from four letters to seven, none below', () => {
      assert.equal(faq.search('pasword ')[0]?.id, 'password');
      assert.deepEqual(ids(faq.search('paswrd ')), []);
      assert.deepEqual(ids(faq.search('fei ')), []);
      assert.deepEqual(
        [3, 4, 7, 8, 12].map((length) => typosAllowed(length)),
        [0, 1, 1, 2, 2],
      );
    });

    it('counts two neighbouring letters swapped as one typo', () => {
      assert.equal(editDistanceWithin('recieve', 'receive', 1), 1);
      assert.equal(editDistanceWithin('regstraton', 'registration', 2), 2);
      assert.equal(editDistanceWithin('regstratn', 'registration', 2), Infinity);
    });

    it('still completes the word being typed, and stems', () => {
      assert.equal(faq.search('registrat')[0]?.id, 'registration');
      assert.equal(faq.search('passwords ')[0]?.id, 'password');
      // Once the word is finished, it is not completed: "fee " is the word fee.
      assert.deepEqual(ids(faq.search('fee ')), ['fees']);
    });
  });

  describe('a question reduced to what matters', () => {
    const reduced = (text: string) => {
      const words = wordsOf(text);
      return reduceQuestion(words)
        .map((i) => words[i])
        .filter((w) => termOf(w) !== undefined);
    };

    it('drops the asking, in English and Spanish', () => {
      assert.deepEqual(reduced('How do I reset my password?'), ['reset', 'password']);
      assert.deepEqual(reduced('Can you tell me what is the way to pay the fee, please'), ['pay', 'fee']);
      assert.deepEqual(reduced('I was wondering if someone could help me find my case number'), ['find', 'case', 'number']);
      assert.deepEqual(reduced('¿Cómo puedo pagar la tarifa?'), ['pagar', 'tarifa']);
    });

    it('keeps negations and domain words', () => {
      assert.deepEqual(reduced("Why am I not receiving notices? I don't get emails"), [
        'not',
        'receiving',
        'notices',
        'not',
        'emails',
      ]);
      assert.deepEqual(reduced('no puedo ver el documento'), ['no', 'ver', 'documento']);
    });

    it('leaves a query that is nothing but asking as it was', () => {
      assert.deepEqual(reduceQuestion(wordsOf('how do i')), [0, 1, 2]);
    });

    it('finds for a whole question what it finds for its keywords, not what matches the asking', () => {
      const faq = createFaqSearch([
        answer({ id: 'fees', title: 'Paying fees', text: 'Pay the filing fee with a card.' }),
        answer({
          id: 'contact',
          title: 'Contacting us',
          text: 'Please tell us how we can help: we want to know your case number.',
        }),
      ]);
      assert.equal(faq.search('fees')[0]?.id, 'fees');
      assert.equal(faq.search('Please help, can you tell me, I want to know about fees?')[0]?.id, 'fees');
    });
  });

  describe('"people ask" phrasings', () => {
    it('are indexed as their own field, boosted above the body', () => {
      const answers = [
        answer({ id: 'body-only', title: 'Account settings', text: 'If the login screen keeps coming back, clear cookies.' }),
        answer({
          id: 'asked',
          title: 'Signing in',
          asks: ['the login screen keeps coming back'],
          text: 'Use your PACER username.',
        }),
      ];
      const faq = createFaqSearch(answers);
      assert.deepEqual(ids(faq.search('login screen keeps coming back')), ['asked', 'body-only']);
      const index = buildFaqIndex(answers);
      const inAsks = index.query((q) => q.term('screen', { fields: ['asks'], usePipeline: false }));
      assert.deepEqual(
        inAsks.map((r) => r.ref),
        ['asked'],
      );
    });
  });

  describe('everyday words and ranking', () => {
    it('reads an irregular form as its plain word on both sides ("paid" is pay, "sued" is sue)', () => {
      assert.equal(termOf('paid'), termOf('pay'));
      assert.equal(termOf('payment'), termOf('pay'));
      assert.equal(termOf('sued'), termOf('suing'));
      assert.equal(termOf('summonses'), termOf('summons'));
      const faq = createFaqSearch([
        answer({ id: 'fees', title: 'How to pay a fee', text: 'Pay with a card.' }),
        answer({ id: 'hours', title: 'Helpdesk hours', text: 'We answer on weekdays.' }),
      ]);
      assert.deepEqual(ids(faq.search('fee already paid ')), ['fees']);
    });

    it('counts a word found only in the body for less than one in what the answer is about', () => {
      const vocabulary = buildVocabulary([
        { id: 'mentions', fields: ['Court hours'], body: 'Scanned exhibits are fine.' },
        { id: 'about', fields: ['Scanned exhibits'], body: 'Attach each one as its own PDF.' },
        { id: 'other', fields: ['Fees'], body: 'Pay with a card.' },
      ]);
      const plan = planQuery('scanned exhibits ', 'all', { vocabulary, synonyms: compileSynonyms([]) });
      // Lunr's scores equal: what the answer is about decides.
      const ranked = rankByCoverage(
        [
          { ref: 'mentions', score: 1 },
          { ref: 'about', score: 1 },
        ],
        plan,
        vocabulary,
      );
      assert.equal(ranked[0].ref, 'about');
      assert.ok(ranked.length === 1 || ranked[1].score < ranked[0].score);
    });

    it('looks for a word every answer has when the query, read through a synonym, has nothing rarer', () => {
      const many = Array.from({ length: 12 }, (_, i) =>
        answer({ id: `answer-${i}`, title: `Topic ${i}`, text: 'Done in ECF, the filing system.' }),
      );
      const faq = createFaqSearch(
        [...many, answer({ id: 'what-is-ecf', title: 'What is ECF?', text: 'ECF is how you file.' })],
        [['ECF', 'court website']],
      );
      assert.equal(faq.search('court website ')[0]?.id, 'what-is-ecf');
    });
  });

  describe('Lunr does the scoring', () => {
    it('gives suggestions from a request with the scores Lunr gives for the same words', () => {
      const answers = [
        answer({ id: 'fees', title: 'Paying the filing fee', text: 'Pay the filing fee with a card.' }),
        answer({ id: 'refund', title: 'Refund of a fee', text: 'A duplicate fee is refunded.' }),
        answer({ id: 'summons', title: 'Summons', text: 'The clerk issues the summons.' }),
      ];
      const faq = createFaqSearch(answers);
      const index = buildFaqIndex(answers);
      const request = 'I was charged the filing fee twice and need a refund of the duplicate fee';
      const words = [...new Set(wordsOf(request).map(termOf))].filter((t): t is string => t !== undefined && t.length > 1);
      // A whole request is matched against what answers are about: title, keywords, what people ask;
      // a word only a body has ("duplicate") is not asked for.
      const aboutWords = new Set(answers.flatMap((a) => wordsOf([a.title, ...a.keywords, ...a.asks].join(' ')).map(termOf)));
      const lunrQuery = (terms: string[]) =>
        index.query((q) => {
          for (const term of terms) q.term(term, { boost: 10, usePipeline: false, fields: ['title', 'keywords', 'asks'] });
        });
      const lunrResults = lunrQuery(words.filter((t) => aboutWords.has(t)));
      assert.deepEqual(
        faq.search(request, { mode: 'any' }).map((r) => [r.id, r.score]),
        lunrResults.map((r) => [r.ref, Math.round(r.score * 1000) / 1000]),
      );
      // Leaving them out changes no order.
      assert.deepEqual(
        lunrQuery(words).map((r) => r.ref),
        lunrResults.map((r) => r.ref),
      );
    });
  });
});
