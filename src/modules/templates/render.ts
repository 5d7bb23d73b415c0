import Mustache from 'mustache';
import type { Placeholder, TemplateFormat } from './defaults.js';

/** A BCP 47 tag in its canonical form (`de_at` → `de-AT`), or null when it is none. */
export function normalizeLocale(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 35 || !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(raw)) return null;
  try {
    return Intl.getCanonicalLocales(raw.replaceAll('_', '-'))[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The locales to try, best first: the customer's (`de-AT`, then `de`), the workspace's default (and its
 * language), then English. Duplicates and unreadable tags drop out.
 */
export function localeChain(
  customerLocale: string | null | undefined,
  workspaceLocale: string | null | undefined,
) {
  const chain: string[] = [];
  for (const raw of [customerLocale, workspaceLocale, 'en']) {
    const tag = normalizeLocale(raw);
    if (!tag) continue;
    for (const candidate of [tag, tag.split('-')[0]!]) if (!chain.includes(candidate)) chain.push(candidate);
  }
  return chain;
}

type Token = [string, string, number, number, Token[]?];

/**
 * Why a template can't be used, in words for an admin; empty when it is fine. It must parse, use only its
 * key's placeholders, and use no partials or delimiter changes; in HTML templates placeholders are always
 * escaped, so `{{{x}}}` and `{{&x}}` are refused there.
 */
export function templateProblems(text: string, format: TemplateFormat, allowed: readonly string[]): string[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text) as unknown as Token[];
  } catch (err) {
    return [`the template does not parse: ${(err as Error).message}`];
  }
  const problems = new Set<string>();
  const walk = (list: Token[]) => {
    for (const [type, value, , , children] of list) {
      if (type === 'text' || type === '!') continue;
      if (type === '>' || type === '=') {
        problems.add(`{{${type}…}} (partials and delimiter changes) is not supported`);
        continue;
      }
      if (!allowed.includes(value))
        problems.add(
          `unknown placeholder {{${value}}}; this text can use ${allowed.length ? allowed.map((p) => `{{${p}}}`).join(', ') : 'no placeholders'}`,
        );
      if (type === '&' && format === 'html')
        problems.add(`{{{${value}}}} would insert ${value} unescaped into HTML: use {{${value}}}`);
      if (children) walk(children);
    }
  };
  walk(tokens);
  return [...problems];
}

export type TemplateValues = Partial<Record<Placeholder, string | number | null>>;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Enough for text and attribute values; mustache's own also turns `/` and `=` into entities, which uglifies links. */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => entities[c]!);

/** Renders with mustache: values are HTML-escaped in `html` templates and inserted as they are in `text` ones. */
export function renderTemplate(text: string, format: TemplateFormat, values: TemplateValues): string {
  const view = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? '']));
  return Mustache.render(text, view, {}, { escape: format === 'html' ? escapeHtml : (s: string) => s });
}
