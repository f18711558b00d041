import type { Language } from './detect-language';
import type { RefusalCategory } from './scope-guard';

/** What the filer is told about a refusal or a declined part: what, why, and where to go instead. */
export interface RefusalText {
  summary: string;
  explanation: string;
  /** The FAQ answer that explains the policy (in English: the FAQ has no Spanish answers yet). */
  policyAnswer: string;
  whereToGo: string[];
}

/** Plain-language text for refusals and declined parts, in the language the request was written in. */
export const REFUSAL_TEXT: Record<Language, Record<RefusalCategory, RefusalText>> = {
  en: {
    legal_advice: {
      summary: 'The helpdesk cannot give legal advice.',
      explanation:
        'We help people use the electronic filing system. We cannot tell you what to file or argue, whether to sue, settle or appeal, what an order or rule means for your case, when your deadline is, or whether a document is good enough. Court staff must stay neutral, so they cannot advise any side.',
      policyAnswer: '/faq/legal-advice-policy',
      whereToGo: [
        'A lawyer. If you do not have one, the lawyer referral service of your state or local bar association can suggest one, often for a low first fee.',
        "The court's help for people without a lawyer (often called a pro se or self-help center) and local legal aid organisations.",
        'The Federal Rules of Civil Procedure and the court’s local rules, which are public.',
      ],
    },
    judge_contact: {
      summary: 'The helpdesk cannot pass messages to a judge or chambers.',
      explanation:
        'We cannot forward letters, documents or messages to a judge, chambers, a law clerk or other court staff, and we cannot give out a judge’s contact details. Anything meant for the judge must be filed in your case, so that every party sees it.',
      policyAnswer: '/faq/ex-parte-policy',
      whereToGo: [
        'File it in your case through CM/ECF (or on paper if you are not registered to e-file). We are glad to help with how to file it.',
        'Read the judge’s standing orders and courtroom procedures on the court’s website for how the judge wants to be contacted.',
        'If you need legal advice about what to file, contact a lawyer or a lawyer referral service.',
      ],
    },
  },
  es: {
    legal_advice: {
      summary: 'La mesa de ayuda no puede darle asesoría legal.',
      explanation:
        'Ayudamos a las personas a usar el sistema de presentación electrónica de documentos. No podemos decirle qué presentar ni qué argumentar, si debe demandar, llegar a un acuerdo o apelar, qué significa una orden o una regla para su caso, cuál es su fecha límite, ni si un documento está bien hecho. El personal de la corte debe ser neutral con todas las partes, por eso no puede aconsejar a ninguna.',
      policyAnswer: '/faq/legal-advice-policy',
      whereToGo: [
        'Un abogado. Si no tiene uno, el servicio de referencia de abogados del colegio de abogados de su estado o de su localidad puede recomendarle uno, muchas veces con una primera consulta de bajo costo.',
        'El centro de ayuda de la corte para personas sin abogado (a veces llamado centro de autoayuda o “pro se”) y las organizaciones de ayuda legal gratuita de su zona.',
        'Las Reglas Federales de Procedimiento Civil y las reglas locales de la corte, que son públicas.',
      ],
    },
    judge_contact: {
      summary: 'La mesa de ayuda no puede pasar mensajes a un juez ni a su despacho.',
      explanation:
        'No podemos enviar cartas, documentos ni mensajes a un juez, a su despacho, a un asistente jurídico (law clerk) ni a otro personal de la corte, y no podemos dar los datos de contacto de un juez. Todo lo que sea para el juez debe presentarse en su caso, para que todas las partes lo vean.',
      policyAnswer: '/faq/ex-parte-policy',
      whereToGo: [
        'Preséntelo en su caso por CM/ECF (o en papel si no está registrado para presentar documentos electrónicamente). Con gusto le explicamos cómo presentarlo.',
        'Lea las órdenes permanentes (standing orders) y los procedimientos de la sala del juez en el sitio web de la corte para saber cómo prefiere el juez que las partes se comuniquen.',
        'Si necesita asesoría legal sobre qué presentar, comuníquese con un abogado o con un servicio de referencia de abogados.',
      ],
    },
  },
};

/** The warning shown and sent when private numbers were masked, in the language of the request. */
export const PRIVACY_WARNING: Record<Language, string> = {
  en: 'We hid some private numbers in your request (such as a Social Security number, an account number or a full date of birth) or a child’s name. Court rules (Fed. R. Civ. P. 5.2) say these must not appear in full in court papers, so please leave them out of messages to us too. Only the last four digits, the year of birth or initials are kept in what staff read.',
  es: 'Ocultamos algunos números privados de su solicitud (como un número de Seguro Social, un número de cuenta o una fecha de nacimiento completa) o el nombre de un menor de edad. Las reglas de la corte (Regla Federal de Procedimiento Civil 5.2) dicen que estos datos no deben aparecer completos en los documentos de la corte, así que le pedimos que tampoco los incluya en sus mensajes para nosotros. En lo que lee el personal solo se guardan los últimos cuatro dígitos, el año de nacimiento o las iniciales.',
};
