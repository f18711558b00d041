import { FAQ_CATEGORIES } from './faq-answer-check';

/**
 * A ticket's topic is one of the FAQ's categories (SPEC §13), stored by a short stable id
 * (`tickets.topic`): "Accounts and access" is `accounts-and-access`. The category names stay the
 * FAQ's own; the ids only name them in the database and in URLs.
 */
export interface Topic {
  id: string;
  label: string;
}

const idOf = (category: string) =>
  category
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Every topic, in the order /faq shows its categories. */
export const TOPICS: readonly Topic[] = FAQ_CATEGORIES.map((label) => ({ id: idOf(label), label }));

const byId = new Map(TOPICS.map((topic) => [topic.id, topic]));
const byLabel = new Map(TOPICS.map((topic) => [topic.label, topic]));

/** The topic id of an FAQ category name, or null for a name that is not one of the categories. */
export function topicOfCategory(category: string | undefined): string | null {
  return (category !== undefined && byLabel.get(category)?.id) || null;
}

export const isTopic = (id: unknown): boolean => typeof id === 'string' && byId.has(id);

/** The category name staff read for a topic id (the id itself when it is not a known topic). */
export function topicLabel(id: string | null): string | null {
  return id === null ? null : (byId.get(id)?.label ?? id);
}
