import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Language } from './detect-language';
import { loadScopeModel, type ScopeModel } from './scope-model';

export const REFUSAL_CATEGORIES = ['legal_advice', 'judge_contact'] as const;
export type RefusalCategory = (typeof REFUSAL_CATEGORIES)[number];

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens'),
    category: z.enum(REFUSAL_CATEGORIES),
    /** The language of the requests the rule reads (its patterns are written in it). */
    language: z.enum(['en', 'es']).default('en'),
    description: z.string().min(10),
    excused_by_technical: z.boolean().default(true),
    requires: z.array(z.string().min(1)).optional(),
    patterns: z.array(z.string().min(1)).min(1),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1),
    terms: z.record(z.string().regex(/^[A-Z][A-Z_]*$/, 'term names are CAPITALS'), z.string().min(1)).default({}),
    sentences: z
      .object({
        abbreviations: z.array(z.string().min(1)).default([]),
        breaks: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    technical: z
      .object({
        phrases: z.array(z.string().min(1)).min(1),
        asks: z.array(z.string().min(1)).min(1),
      })
      .strict(),
    rules: z.array(z.unknown()).min(1),
  })
  .strict();

/** One rule, ready to run. */
export interface ScopeRule {
  id: string;
  category: RefusalCategory;
  language: Language;
  /** Plain words shown to staff next to a refusal. */
  description: string;
  /** Whether the rule is ignored in a sentence that is a technical question about CM/ECF. */
  excusedByTechnical: boolean;
  /** When given, the request must match one of these somewhere for the rule to apply. */
  requires: RegExp[];
  patterns: RegExp[];
  /**
   * All patterns at once, multi-line: run over the request's sentences joined by SENTENCE_JOIN, it
   * matches whenever any pattern matches any single sentence, so a rule it does not match can be
   * skipped for every sentence (most requests trip no rule at all).
   */
  screen: RegExp;
}

/**
 * Joins sentences for the screen: a line of its own holding a full stop, so a pattern cannot run on
 * from one sentence into the next (`[^.?!;]`, `\s+…` and every lookahead in the rules stop at it).
 */
export const SENTENCE_JOIN = '\n.\n';

/**
 * The scope guard's policy: the rules file, parsed, checked and compiled, and the trained model that
 * reads what no rule was written for (policy/scope-model.json, see scope-decision.ts).
 */
export interface ScopeRules {
  source: string;
  /** A digest of the rules as written and of the model: two copies with the same one decide alike. */
  fingerprint: string;
  abbreviations: Set<string>;
  /** Where a new sentence starts inside a line ("also,", ", and can you"). */
  sentenceBreak: RegExp | null;
  technicalPhrase: RegExp;
  technicalAsk: RegExp;
  rules: ScopeRule[];
  model: ScopeModel;
}

/** Where policy/scope-rules.yaml is: the project root, found from src/policy or dist/src/policy. */
export function defaultScopeRulesFile(): string {
  const candidates = [path.join(__dirname, '..', '..', 'policy'), path.join(__dirname, '..', '..', '..', 'policy')];
  const dir = candidates.find((candidate) => existsSync(path.join(candidate, 'scope-rules.yaml'))) ?? candidates[0];
  return path.join(dir, 'scope-rules.yaml');
}

class ScopeRulesError extends Error {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`Invalid scope rules in ${file}: ${problem}`, options);
    this.name = 'ScopeRulesError';
  }
}

function describeIssues(error: z.ZodError, where: (issuePath: PropertyKey[]) => string): string {
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; ');
}

/** Replaces each {NAME} with its term; a name that is not defined is an error. */
function expandTerms(pattern: string, terms: Record<string, string>, owner: string): string {
  let expanded = pattern;
  for (let depth = 0; depth < 5 && /\{[A-Z][A-Z_]*\}/.test(expanded); depth += 1) {
    expanded = expanded.replace(/\{([A-Z][A-Z_]*)\}/g, (_whole, name: string) => {
      const term = terms[name];
      if (term === undefined) throw new Error(`${owner} uses {${name}}, which is not defined under terms`);
      return `(?:${term})`;
    });
  }
  return expanded;
}

function compile(pattern: string, terms: Record<string, string>, owner: string): RegExp {
  const source = expandTerms(pattern, terms, owner);
  try {
    return new RegExp(source, 'i');
  } catch (error) {
    throw new Error(`${owner} has a pattern that is not a valid regular expression (${(error as Error).message}): ${pattern}`, {
      cause: error,
    });
  }
}

function anyOf(patterns: string[], terms: Record<string, string>, owner: string, flags = 'i'): RegExp {
  patterns.forEach((pattern, index) => compile(pattern, terms, `${owner}[${index}]`));
  return new RegExp(patterns.map((pattern) => `(?:${expandTerms(pattern, terms, owner)})`).join('|'), flags);
}

/**
 * Checks and compiles parsed rules data, with the model they work beside (default: the committed one);
 * `file` only names the source in error messages.
 */
export function compileScopeRules(data: unknown, file = 'scope rules', model: ScopeModel = loadScopeModel()): ScopeRules {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success)
    throw new ScopeRulesError(
      file,
      describeIssues(parsed.error, (p) => p.join('.') || 'file'),
    );
  const { terms, sentences, technical } = parsed.data;
  const seen = new Set<string>();
  try {
    const rules = parsed.data.rules.map((raw, index): ScopeRule => {
      const rawId = (raw as { id?: unknown } | null)?.id;
      const name = typeof rawId === 'string' ? `rule "${rawId}"` : `rule #${index + 1}`;
      const rule = ruleSchema.safeParse(raw);
      if (!rule.success) throw new Error(`${name}: ${describeIssues(rule.error, (p) => p.join('.') || 'rule')}`);
      if (seen.has(rule.data.id)) throw new Error(`${name} is defined twice`);
      seen.add(rule.data.id);
      return {
        id: rule.data.id,
        category: rule.data.category,
        language: rule.data.language,
        description: rule.data.description.trim(),
        excusedByTechnical: rule.data.excused_by_technical,
        requires: (rule.data.requires ?? []).map((p, i) => compile(p, terms, `${name} requires[${i}]`)),
        patterns: rule.data.patterns.map((p, i) => compile(p, terms, `${name} patterns[${i}]`)),
        screen: anyOf(rule.data.patterns, terms, `${name} patterns`, 'im'),
      };
    });
    return {
      source: file,
      fingerprint: createHash('sha256')
        .update(JSON.stringify([parsed.data, model.trainedOn, model.combiner, model.thresholds]))
        .digest('hex'),
      abbreviations: new Set(sentences.abbreviations.map((a) => a.toLowerCase().replace(/\.$/, ''))),
      sentenceBreak: sentences.breaks.length > 0 ? anyOf(sentences.breaks, terms, 'sentences.breaks', 'gi') : null,
      technicalPhrase: anyOf(technical.phrases, terms, 'technical.phrases'),
      technicalAsk: anyOf(technical.asks, terms, 'technical.asks'),
      rules,
      model,
    };
  } catch (error) {
    if (error instanceof ScopeRulesError) throw error;
    throw new ScopeRulesError(file, (error as Error).message, { cause: error });
  }
}

/**
 * Reads, checks and compiles the scope rules (default: policy/scope-rules.yaml) with the committed
 * model; throws naming the bad rule.
 */
export function loadScopeRules(file: string = defaultScopeRulesFile(), model?: ScopeModel): ScopeRules {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScopeRulesError(file, (error as Error).message, { cause: error });
  }
  return compileScopeRules(data, file, model);
}
