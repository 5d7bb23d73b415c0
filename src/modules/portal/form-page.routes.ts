import type { FastifyInstance } from 'fastify';
import { type Deps, randomSecret } from '../../platform/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { HONEYPOT_FIELD } from './form-intake.routes.js';
import { liveForm } from './forms.service.js';
import { html, raw, sendPage } from './page.js';
import { pageLanguage } from './texts.js';

/**
 * The hosted contact form: plain server-rendered HTML that works without script. Each page view carries a
 * fresh submission id, so a double click (or a resent form) makes one conversation. `?embed=1` is the
 * variant framed on the workspace's own site: only its allowed origins may frame it.
 */
export function registerFormPage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { key: string }; Querystring: { sent?: string; embed?: string } }>(
    '/forms/:key',
    { schema: { hide: true } },
    async (request, reply) => {
      const { lang, t } = pageLanguage(request.headers['accept-language']);
      const form = await liveForm(deps, request.params.key);
      if (!form)
        return sendPage(reply, { title: t.notFound, lang, status: 404, body: html`<h1>${t.notFound}</h1>` });
      const embed = request.query.embed === '1';
      const framing = embed ? form.allowedOrigins : [];
      if (request.query.sent === '1') {
        const workspace = await findWorkspaceById(deps.db, form.workspaceId);
        const thanks = await renderCustomerTemplate(
          deps.db,
          form.workspaceId,
          'webform.received',
          { customerLocale: lang },
          {},
        );
        return sendPage(reply, {
          title: form.name,
          lang,
          embed,
          frameAncestors: framing,
          body: html`<h1>${form.name}</h1><p class="notice" role="status">${thanks.text}</p>
${workspace && !embed ? html`<p><a href="/portal/${workspace.slug}">${t.followRequests}</a></p>` : raw('')}`,
        });
      }
      const field = (name: string, label: string, input: ReturnType<typeof raw>) =>
        html`<label for="${name}">${label}</label>${input}`;
      return sendPage(reply, {
        title: form.name,
        lang,
        embed,
        frameAncestors: framing,
        body: html`<h1>${form.name}</h1>
${form.intro ? html`<p>${form.intro}</p>` : raw('')}
<form method="post" action="/api/v1/forms/${form.publicKey}/submissions" enctype="multipart/form-data">
<div class="trap" aria-hidden="true"><label for="${HONEYPOT_FIELD}">${t.honeypot}</label><input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="submissionId" value="${randomSecret(18)}">
${embed ? html`<input type="hidden" name="embed" value="1">` : raw('')}
${field('name', t.name, html`<input type="text" id="name" name="name" maxlength="200" autocomplete="name">`)}
${field('email', t.email, html`<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">`)}
${form.askPhone ? field('phone', t.phone, html`<input type="tel" id="phone" name="phone" maxlength="40" autocomplete="tel">`) : raw('')}
${field('subject', t.subject, html`<input type="text" id="subject" name="subject" maxlength="200">`)}
${field('message', t.message, html`<textarea id="message" name="message" required maxlength="20000"></textarea>`)}
${form.allowAttachments ? field('attachments', t.files, html`<input type="file" id="attachments" name="attachments" multiple>`) : raw('')}
<button type="submit">${t.send}</button>
</form>`,
      });
    },
  );
}
