/**
 * Tells English from Spanish, the two languages the helpdesk answers in. A request is Spanish when
 * more of its common function words are Spanish than English. Function words ("de", "que", "the",
 * "my") make up a large share of any text and barely overlap between the two languages, so counting
 * them decides a request of a few words as reliably as a general detector would, and a mixed
 * "Spanglish" request goes to the language most of it is written in.
 */
export type Language = 'en' | 'es';

const SPANISH = new Set(
  (
    'de la que el en y los se del las por un para con no una su al lo como mas pero sus le ya o este si porque esta ' +
    'entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos durante todos uno les ni contra ' +
    'otros ese eso ante ellos e esto mi antes algunos que unos yo otro otras otra el tanto esa estos mucho quienes ' +
    'nada muchos cual poco ella estar estas algunas algo nosotros mis tu te ti tus ellas nosotras vosotros ' +
    'es son fue ser tengo tiene tienen puedo puede pueden necesito quiero hacer estoy esta estan como cuanto ' +
    'usted ustedes gracias hola buenos buenas dias favor por ayuda caso juez corte presentar cuenta contrasena'
  ).split(' '),
);

const ENGLISH = new Set(
  (
    'the of and to in is it you that he was for on are with as i his they be at one have this from or had by but ' +
    'what some we can out other were all there when up use your how said an each she which do their if will way ' +
    'about many then them would like so these her see him has more could go come did my me no get here our just ' +
    'should not been am any please thanks thank hello hi help case judge court file filing account password need'
  ).split(' '),
);

/** The language a request is written in: 'es' when Spanish function words outnumber English ones. */
export function detectLanguage(text: string): Language {
  const { spanish, english } = languageScores(text);
  return spanish > english ? 'es' : 'en';
}

/** How many of the text's words are common Spanish and common English function words. */
export function languageScores(text: string): { spanish: number; english: number } {
  let spanish = 0;
  let english = 0;
  // Accents are dropped so that "está" and "esta", "más" and "mas", typed either way, count alike.
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .match(/[a-zñ]+/g);
  for (const word of words ?? []) {
    if (SPANISH.has(word)) spanish += 1;
    if (ENGLISH.has(word)) english += 1;
  }
  return { spanish, english };
}
