import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router';
import { type CustomerTemplate, templatesApi } from '../../../api/admin';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';

const localeNames: Record<string, string> = { en: 'English', de: 'German' };
const localeLabel = (l: string) => (localeNames[l] ? `${localeNames[l]} (${l})` : l);
const useTemplates = () => useQuery({ queryKey: ['templates'], queryFn: templatesApi.list });

export function TemplatesSection() {
  return (
    <Routes>
      <Route index element={<TemplateList />} />
      <Route path=":key" element={<TemplateEditor />} />
    </Routes>
  );
}

function TemplateList() {
  const templates = useTemplates();
  const items = templates.data?.items ?? [];
  return (
    <div className="page">
      <h1>Customer texts</h1>
      <p className="muted lead">
        Everything a customer reads from Steward: e-mail subjects and bodies, the chat widget and the portal.
        Steward ships English and German; word any text your own way, in any language.
        {templates.data &&
          ` Customers without a language of their own get ${localeLabel(templates.data.defaultLocale)}.`}
      </p>
      <QueryNote pending={templates.isPending} error={templates.error} loading="Loading the texts…" />
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Customer texts</caption>
          <thead>
            <tr>
              <th scope="col">Text</th>
              <th scope="col">Placeholders</th>
              <th scope="col">Your wording</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => {
              const mine = t.texts.filter((x) => x.overridden).map((x) => x.locale);
              return (
                <tr key={t.key}>
                  <td>
                    <Link to={`/admin/templates/${encodeURIComponent(t.key)}`}>{t.description}</Link>
                    <div className="small muted">{t.key}</div>
                  </td>
                  <td className="small">
                    {t.placeholders.length ? t.placeholders.map((p) => `{{${p.name}}}`).join(' ') : '–'}
                  </td>
                  <td className="small">
                    {mine.length ? (
                      mine.map(localeLabel).join(', ')
                    ) : (
                      <span className="muted">Steward's default</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function TemplateEditor() {
  const key = useParams().key ?? '';
  const template = useQuery({ queryKey: ['template', key], queryFn: () => templatesApi.get(key) });
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/admin/templates">Customer texts</Link>
      </p>
      {template.data ? (
        <Editor template={template.data} />
      ) : (
        <QueryNote pending={template.isPending} error={template.error} loading="Loading the text…" />
      )}
    </div>
  );
}

function Editor({ template: t }: { template: CustomerTemplate }) {
  const client = useQueryClient();
  const [added, setAdded] = useState<string[]>([]);
  const locales = [...new Set([...t.texts.map((x) => x.locale), ...added])];
  const [locale, setLocale] = useState(locales[0] ?? 'en');
  const [newLocale, setNewLocale] = useState('');
  const [localeProblem, setLocaleProblem] = useState('');
  const current = t.texts.find((x) => x.locale === locale);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const draft = drafts[locale] ?? current?.text ?? '';
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(t.placeholders.map((p) => [p.name, p.example])),
  );
  const [note, setNote] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const refresh = (x?: CustomerTemplate) => {
    if (x) client.setQueryData(['template', t.key], x);
    else void client.invalidateQueries({ queryKey: ['template', t.key] });
    void client.invalidateQueries({ queryKey: ['templates'] });
  };
  const save = useMutation({
    mutationFn: () => templatesApi.save(t.key, locale, draft),
    onSuccess: (x) => {
      refresh(x);
      setDrafts(({ [locale]: _, ...rest }) => rest);
      setNote(`Saved: customers in ${localeLabel(locale)} now get your wording.`);
    },
  });
  const reset = useMutation({
    mutationFn: () => templatesApi.reset(t.key, locale),
    onSuccess: () => {
      refresh();
      setDrafts(({ [locale]: _, ...rest }) => rest);
      setNote(`${localeLabel(locale)} is back to Steward's default.`);
    },
  });
  const preview = useMutation({
    mutationFn: () =>
      templatesApi.preview(t.key, { customerLocale: locale, text: draft.trim() ? draft : undefined, values }),
  });
  const addLocale = (e: FormEvent) => {
    e.preventDefault();
    const l = newLocale.trim();
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(l)) {
      setLocaleProblem('Write a language code such as fr, es or de-AT.');
      return;
    }
    const normal = l
      .split('-')
      .map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p))
      .join('-');
    setLocaleProblem('');
    setAdded((a) => [...a, normal]);
    setLocale(normal);
    setNewLocale('');
  };
  const dirty = draft !== (current?.text ?? '');

  return (
    <>
      <h1>{t.description}</h1>
      <p className="muted">
        <code>{t.key}</code> ·{' '}
        {t.format === 'html'
          ? 'HTML: placeholders are escaped, so values cannot add markup.'
          : 'Plain text: placeholders are inserted as they are.'}
      </p>
      <div className="editor-grid">
        <div className="admin-form">
          <fieldset className="locale-tabs">
            <legend className="visually-hidden">Language</legend>
            {locales.map((l) => {
              const x = t.texts.find((y) => y.locale === l);
              return (
                <button
                  key={l}
                  type="button"
                  className="button small"
                  aria-pressed={l === locale}
                  onClick={() => {
                    setLocale(l);
                    preview.reset();
                    setNote('');
                  }}
                >
                  {localeLabel(l)}
                  {x?.overridden && (
                    <>
                      <span aria-hidden="true"> ✎</span>
                      <span className="visually-hidden"> (your wording)</span>
                    </>
                  )}
                  {drafts[l] !== undefined && drafts[l] !== (x?.text ?? '') && (
                    <>
                      <span aria-hidden="true"> •</span>
                      <span className="visually-hidden"> (not saved)</span>
                    </>
                  )}
                </button>
              );
            })}
          </fieldset>
          <form className="inline-row locale-add" onSubmit={addLocale}>
            <label htmlFor="new-locale" className="visually-hidden">
              Another language code
            </label>
            <input
              id="new-locale"
              placeholder="fr, de-AT…"
              maxLength={35}
              value={newLocale}
              aria-describedby={localeProblem ? 'locale-problem' : undefined}
              onChange={(e) => setNewLocale(e.target.value)}
            />
            <button type="submit" className="button small">
              Add a language
            </button>
          </form>
          {localeProblem && (
            <p id="locale-problem" className="form-error" role="alert">
              {localeProblem}
            </p>
          )}

          <div className="field">
            <label htmlFor="template-text">
              Text for {localeLabel(locale)}{' '}
              {current?.overridden ? (
                <span className="badge badge-accent">Your wording</span>
              ) : current?.default != null ? (
                <span className="badge badge-muted">Steward's default</span>
              ) : (
                <span className="badge badge-muted">Not written yet</span>
              )}
            </label>
            {!current && (
              <p className="hint">
                Until you save a text here, customers in {locale} get the text of the next language in line (
                {locale.includes('-') ? `${locale.split('-')[0]}, then ` : ''}the workspace's language, then
                English).
              </p>
            )}
            <textarea
              id="template-text"
              className="template-text"
              rows={t.format === 'html' ? 10 : 3}
              value={draft}
              spellCheck
              lang={locale}
              onChange={(e) => setDrafts({ ...drafts, [locale]: e.target.value })}
            />
          </div>
          {current?.overridden && current.default !== null && (
            <details>
              <summary>Steward's default for {localeLabel(locale)}</summary>
              <pre className="default-text">{current.default}</pre>
            </details>
          )}
          <p className="small muted">
            Placeholders:{' '}
            {t.placeholders.length
              ? t.placeholders.map((p) => `{{${p.name}}} (${p.description.toLowerCase()})`).join(', ')
              : 'none'}
            . Leave words out when a value is missing with{' '}
            <code>
              {'{{#customerName}}'} {'{{customerName}}'}
              {'{{/customerName}}'}
            </code>
            .
          </p>
          <ErrorNote error={save.error ?? reset.error} lead="The text cannot be saved:" />
          <div className="form-actions">
            <button
              type="button"
              className="button primary"
              disabled={!draft.trim() || save.isPending || (!dirty && current?.overridden)}
              onClick={() => save.mutate()}
            >
              Save {localeLabel(locale)}
            </button>
            {dirty && (
              <button
                type="button"
                className="button"
                onClick={() => setDrafts(({ [locale]: _, ...rest }) => rest)}
              >
                Discard changes
              </button>
            )}
            {current?.overridden && (
              <button type="button" className="button danger-outline" onClick={() => setConfirmReset(true)}>
                Reset to default
              </button>
            )}
            <span role="status" className="small muted">
              {note}
            </span>
          </div>
        </div>

        <section className="preview-card" aria-labelledby="template-preview">
          <h2 id="template-preview">Preview</h2>
          {t.placeholders.length > 0 && (
            <fieldset>
              <legend>Sample values</legend>
              <div className="values-grid">
                {t.placeholders.map((p) => (
                  <FragmentField
                    key={p.name}
                    name={p.name}
                    value={values[p.name] ?? ''}
                    onChange={(v) => setValues({ ...values, [p.name]: v })}
                  />
                ))}
              </div>
            </fieldset>
          )}
          <div className="form-actions">
            <button
              type="button"
              className="button"
              onClick={() => preview.mutate()}
              disabled={preview.isPending}
            >
              Preview {localeLabel(locale)}
            </button>
          </div>
          <ErrorNote error={preview.error} lead="The draft has problems:" />
          {preview.data && (
            <div aria-live="polite">
              <p className="small muted">
                As a customer in {locale} gets it (
                {preview.data.source === 'override' ? 'this wording' : 'default'},{' '}
                {localeLabel(preview.data.locale)}):
              </p>
              {preview.data.format === 'html' ? (
                <iframe
                  className="preview-frame"
                  title="Preview of the e-mail"
                  // No scripts, no forms, no navigation: the page's CSP applies inside too.
                  sandbox=""
                  srcDoc={`<!doctype html><meta charset="utf-8"><body>${preview.data.text}</body>`}
                />
              ) : (
                <p className="preview-text" data-testid="preview-text">
                  {preview.data.text}
                </p>
              )}
            </div>
          )}
        </section>
      </div>
      {confirmReset && (
        <ConfirmDialog
          title={`Reset ${localeLabel(locale)} to Steward's default?`}
          confirmLabel="Reset to default"
          danger
          onClose={() => setConfirmReset(false)}
          onConfirm={() => {
            setConfirmReset(false);
            reset.mutate();
          }}
        >
          <p>Your wording for this language is removed; customers get Steward's text again.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function FragmentField({
  name,
  value,
  onChange,
}: {
  name: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <>
      <label htmlFor={`value-${name}`} className="small">
        {name}
      </label>
      <input id={`value-${name}`} value={value} onChange={(e) => onChange(e.target.value)} />
    </>
  );
}
