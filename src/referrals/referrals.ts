import type { Referral } from '../config/court-profile';
import { translator, type Language } from '../i18n/i18n';

/** The kinds of refusal a referral can be for (SPEC §5). */
export type ReferralCategory = 'legal_advice' | 'judge_contact';

/** The court's referrals for a kind of refusal, in the profile's order (those `for: "all"` included). */
export function referralsFor(referrals: readonly Referral[], category: ReferralCategory): Referral[] {
  return referrals.filter((r) => r.for === category || r.for === 'all');
}

/** A referral as a refusal shows it: the name as the court wrote it, contact details labelled in the filer's language. */
export interface ReferralItem {
  name: string;
  url: string | null;
  phone: string | null;
  /** One line for a plain-text email: "Name: phone 123, web https://…". */
  line: string;
}

/** The referrals for a refusal, ready for a page or an email in `language` (none: an empty list). */
export function referralItems(referrals: readonly Referral[], category: ReferralCategory, language: Language): ReferralItem[] {
  const t = translator(language);
  return referralsFor(referrals, category).map((r) => {
    const details = [
      r.phone ? t('referrals:phoneLine', { phone: r.phone }) : null,
      r.url ? t('referrals:webLine', { url: r.url }) : null,
    ].filter((d): d is string => d !== null);
    return {
      name: r.name,
      url: r.url ?? null,
      phone: r.phone ?? null,
      line: details.length > 0 ? `${r.name}: ${details.join(t('referrals:separator'))}` : r.name,
    };
  });
}

/**
 * The referrals as a plain-text block for a refusal email, heading included; empty when the court
 * names none. The HTML email can include views/tickets/_referrals-email.html.ejs instead.
 */
export function referralsText(referrals: readonly Referral[], category: ReferralCategory, language: Language): string {
  const items = referralItems(referrals, category, language);
  if (items.length === 0) return '';
  const t = translator(language);
  return [t('referrals:heading'), ...items.map((i) => `  - ${i.line}`)].join('\n');
}

/** A phone number as a tel: link target (digits and a leading +), or null when it has too few digits. */
export function telHref(phone: string): string | null {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.replace(/\D/g, '').length >= 7 ? `tel:${digits}` : null;
}
