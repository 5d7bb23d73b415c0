import type { Executor } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  type Placeholder,
  placeholders,
  shippedLocales,
  type TemplateFormat,
  type TemplateKey,
  templateDefinition,
} from './defaults.js';
import { localeChain, renderTemplate, type TemplateValues, templateProblems } from './render.js';
import { deleteOverride, overridesFor, type TemplateOverride, upsertOverride } from './templates.repo.js';

export type LocaleText = {
  locale: string;
  /** What customers get in this locale: the override, else the default. */
  text: string;
  default: string | null;
  overridden: boolean;
  updatedAt: Date | null;
};
export type TemplateView = {
  key: TemplateKey;
  description: string;
  format: TemplateFormat;
  placeholders: Placeholder[];
  texts: LocaleText[];
};

/** A key with its text in every shipped locale and every locale the workspace has overridden. */
export function viewOf(key: TemplateKey, overrides: TemplateOverride[]): TemplateView {
  const d = templateDefinition(key);
  const mine = overrides.filter((o) => o.key === key);
  const locales = [...new Set<string>([...shippedLocales, ...mine.map((o) => o.locale)])];
  return {
    key,
    description: d.description,
    format: d.format,
    placeholders: [...d.placeholders],
    texts: locales.map((locale) => {
      const o = mine.find((x) => x.locale === locale);
      const shipped = (d.texts as Record<string, string>)[locale] ?? null;
      return {
        locale,
        text: o?.body ?? shipped ?? '',
        default: shipped,
        overridden: o !== undefined,
        updatedAt: o?.updatedAt ?? null,
      };
    }),
  };
}

const event = (
  workspaceId: number,
  row: TemplateOverride,
  actor: Actor,
  type: string,
  data: object,
  at: Date,
) => ({
  workspaceId,
  type,
  entityType: 'customer_template',
  entityId: row.id,
  actor,
  data: { key: row.key, locale: row.locale, ...data },
  at,
});

export async function overrideTemplate(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: { key: TemplateKey; locale: string; text: string },
): Promise<Result<TemplateOverride>> {
  const d = templateDefinition(input.key);
  const problems = templateProblems(input.text, d.format, d.placeholders);
  if (problems.length > 0)
    return fail('INVALID_TEMPLATE', `The template can't be used: ${problems.join('; ')}`, { problems });
  return inTransaction(deps.db, async (tx) => {
    const [before] = await overridesFor(tx, workspaceId, input.key, [input.locale]);
    if (before?.body === input.text) return ok(before);
    const now = deps.clock.now();
    const row = await upsertOverride(tx, {
      workspaceId,
      key: input.key,
      locale: input.locale,
      body: input.text,
      updatedById: actor.type === 'person' ? actor.id : null,
      now,
    });
    await recordEvent(
      tx,
      event(
        workspaceId,
        row,
        actor,
        'template.overridden',
        { before: before?.body ?? null, after: row.body },
        now,
      ),
    );
    return ok(row);
  });
}

/** Back to the shipped default (or, for a locale without one, to the next locale in the chain). */
export async function resetTemplate(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  key: TemplateKey,
  locale: string,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const removed = await deleteOverride(tx, workspaceId, key, locale);
    if (removed)
      await recordEvent(
        tx,
        event(workspaceId, removed, actor, 'template.reset', { before: removed.body }, deps.clock.now()),
      );
    return ok(null);
  });
}

export type RenderedTemplate = {
  key: TemplateKey;
  /** The locale whose text was used. */
  locale: string;
  format: TemplateFormat;
  source: 'override' | 'default';
  text: string;
};

async function chooseText(db: Executor, workspaceId: number, key: TemplateKey, chain: string[]) {
  const overrides = await overridesFor(db, workspaceId, key, chain);
  const texts = templateDefinition(key).texts as Record<string, string>;
  for (const locale of chain) {
    const o = overrides.find((x) => x.locale === locale);
    if (o) return { locale, text: o.body, source: 'override' as const };
    if (texts[locale] !== undefined) return { locale, text: texts[locale], source: 'default' as const };
  }
  return { locale: 'en', text: texts.en!, source: 'default' as const };
}

/**
 * The customer-facing text `key`, rendered in the customer's locale when there is a text for it, else in the
 * workspace's default locale (settings.locale), else in English — the workspace's override for a locale
 * before the shipped default. `companyName` defaults to the workspace's name.
 */
export async function renderCustomerTemplate(
  db: Executor,
  workspaceId: number,
  key: TemplateKey,
  context: { customerLocale?: string | null },
  values: TemplateValues,
): Promise<RenderedTemplate> {
  const workspace = await findWorkspaceById(db, workspaceId);
  const chain = localeChain(context.customerLocale, workspace?.settings.locale);
  const chosen = await chooseText(db, workspaceId, key, chain);
  const format = templateDefinition(key).format;
  return {
    key,
    locale: chosen.locale,
    format,
    source: chosen.source,
    text: renderTemplate(chosen.text, format, { companyName: workspace?.name ?? '', ...values }),
  };
}

/** Example values for every placeholder, for previews. */
export const exampleValues = (): TemplateValues =>
  Object.fromEntries(Object.entries(placeholders).map(([k, v]) => [k, v.example])) as TemplateValues;

/**
 * A preview for the admin page: a draft `text` (checked like an override) or the text customers in
 * `customerLocale` get, with example values unless `values` are given.
 */
export async function previewTemplate(
  db: Executor,
  workspaceId: number,
  key: TemplateKey,
  input: { customerLocale?: string; text?: string; values?: TemplateValues },
): Promise<Result<RenderedTemplate>> {
  const values = { ...exampleValues(), ...input.values };
  if (input.text === undefined)
    return ok(
      await renderCustomerTemplate(db, workspaceId, key, { customerLocale: input.customerLocale }, values),
    );
  const d = templateDefinition(key);
  const problems = templateProblems(input.text, d.format, d.placeholders);
  if (problems.length > 0)
    return fail('INVALID_TEMPLATE', `The template can't be used: ${problems.join('; ')}`, { problems });
  return ok({
    key,
    locale: input.customerLocale ?? 'en',
    format: d.format,
    source: 'override',
    text: renderTemplate(input.text, d.format, values),
  });
}
