import type { RefusalCategory } from './scope-guard';

/** Plain-language text for refusals and declined parts, with where to go instead. */
export const REFUSAL_TEXT: Record<
  RefusalCategory,
  { summary: string; explanation: string; policyAnswer: string; whereToGo: string[] }
> = {
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
};

export const PRIVACY_WARNING =
  'We hid some private numbers in your request (such as a Social Security number, an account number or a full date of birth) or a child’s name. Court rules (Fed. R. Civ. P. 5.2) say these must not appear in full in court papers, so please leave them out of messages to us too. Only the last four digits, the year of birth or initials are kept in what staff read.';
