/** Intake vocabulary of the API contract (the application body). */
export const CHANNELS = ['in_person', 'registered_post', 'ordinary_letter', 'email', 'online', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

/** 收到申请的渠道, as letters name it (Art 31). */
export const CHANNEL_LABELS: Record<Channel, string> = {
  in_person: '当面提交',
  registered_post: '邮寄（签收）',
  ordinary_letter: '平常信函',
  email: '电子邮件',
  online: '互联网（政府信息公开申请平台）',
  fax: '传真',
};

/** The annual report splits applicants: 自然人, and 法人或其他组织 by kind. */
export const APPLICANT_TYPES = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];

export const APPLICANT_TYPE_LABELS: Record<ApplicantType, string> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  public_interest: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
};

export const PERSON_ID_TYPES = ['resident_id', 'passport', 'other_personal'] as const;
export const ORG_ID_TYPES = ['uscc', 'other_org'] as const;

export const FORMS = ['paper', 'electronic'] as const;
export type InformationForm = (typeof FORMS)[number];

export const DELIVERY_METHODS = ['email', 'post', 'collect', 'online', 'fax'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Character unigrams and bigrams of a text (whitespace and punctuation dropped), lower-cased. */
export function searchGrams(...texts: string[]): string[] {
  const grams = new Set<string>();
  for (const text of texts) {
    const chars = Array.from(text.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c));
    for (let i = 0; i < chars.length; i++) {
      grams.add(chars[i]);
      if (i + 1 < chars.length) grams.add(chars[i] + chars[i + 1]);
    }
  }
  return [...grams];
}

/** The grams a search term must all have (bigrams; a one-character term is its unigram). */
export function queryGrams(term: string): string[] {
  const chars = Array.from(term.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c));
  if (chars.length === 0) return [];
  if (chars.length === 1) return [chars[0]];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}
