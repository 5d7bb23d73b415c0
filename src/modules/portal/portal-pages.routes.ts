import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/index.js';
import { originAllowed, safeEqual } from '../../platform/index.js';
import { contentDisposition, dispositionOf, servedType } from '../attachments/index.js';
import { dueForCustomer } from '../commitments/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import {
  countWorkspaces,
  findOldestWorkspace,
  findWorkspaceBySlug,
  type Workspace,
} from '../workspaces/index.js';
import { listForms } from './forms.repo.js';
import { html, raw, sendPage } from './page.js';
import {
  customerAttachment,
  customerConversations,
  customerTimeline,
  proposeSolution,
  replyAsCustomer,
} from './portal.service.js';
import {
  endPortalSession,
  PORTAL_SESSION_TTL_MS,
  portalCsrfToken,
  portalSessionOf,
  redeemPortalLink,
  requestPortalLink,
} from './portal-auth.service.js';
import { pageLanguage } from './texts.js';

export const PORTAL_COOKIE = 'steward_portal';
export const PORTAL_REQUESTS_PER_MINUTE = 10;

/** The fragment holds the link's secret; this copies it into the sign-in form (and out of the address bar). */
const signInScript = `(function(){var p=new URLSearchParams(location.hash.slice(1));var t=p.get('token');
if(t){document.getElementById('token').value=t;history.replaceState(null,'',location.pathname);}})();`;

type Ctx = {
  workspace: Workspace;
  lang: 'en' | 'de';
  t: ReturnType<typeof pageLanguage>['t'];
  base: string;
  title: string;
};

const text = (max: number) => z.string().trim().min(1).max(max);
const idOf = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : 0);

export function registerPortalPages(app: FastifyInstance, deps: Deps): void {
  app.register(async (scope) => {
    await scope.register(rateLimit, { global: false });
    // Plain HTML forms post urlencoded bodies; only these pages take them.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const limited = { rateLimit: { max: PORTAL_REQUESTS_PER_MINUTE, timeWindow: '1 minute' } };
    // Posts come from the portal's own pages: another site's form (signing the visitor in to someone
    // else's session, say) is refused before anything happens.
    scope.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || originAllowed(request, deps.settings.publicUrl)) return;
      const { lang, t } = pageLanguage(request.headers['accept-language']);
      return sendPage(reply, { title: t.forbidden, lang, status: 403, body: html`<h1>${t.forbidden}</h1>` });
    });

    async function context(request: FastifyRequest<{ Params: { slug: string } }>): Promise<Ctx | undefined> {
      const { lang, t } = pageLanguage(request.headers['accept-language']);
      const slug = request.params.slug.toLowerCase();
      const workspace = /^[a-z0-9-]{1,60}$/.test(slug) ? await findWorkspaceBySlug(deps.db, slug) : undefined;
      if (!workspace) return undefined;
      const title = await renderCustomerTemplate(
        deps.db,
        workspace.id,
        'portal.title',
        { customerLocale: lang },
        {},
      );
      return { workspace, lang, t, base: `/portal/${workspace.slug}`, title: title.text };
    }

    const missing = (request: FastifyRequest, reply: FastifyReply) => {
      const { lang, t } = pageLanguage(request.headers['accept-language']);
      return sendPage(reply, { title: t.notFound, lang, status: 404, body: html`<h1>${t.notFound}</h1>` });
    };

    /** The signed-in customer of this workspace, from the portal cookie (never an agent's session). */
    async function customerOf(request: FastifyRequest, ctx: Ctx) {
      const secret = request.cookies[PORTAL_COOKIE];
      const session = await portalSessionOf(deps, secret);
      if (!secret || !session || session.workspaceId !== ctx.workspace.id) return undefined;
      return { secret, who: { workspaceId: session.workspaceId, customerId: session.customerId } };
    }

    /** A signed-in form post: its CSRF field must match the session's. */
    async function signedPost(request: FastifyRequest, ctx: Ctx) {
      const signed = await customerOf(request, ctx);
      const body = (request.body ?? {}) as Record<string, string>;
      if (!signed || typeof body.csrf !== 'string' || !safeEqual(body.csrf, portalCsrfToken(signed.secret)))
        return undefined;
      return { ...signed, body };
    }

    const signInPage = (reply: FastifyReply, ctx: Ctx, notice?: string) =>
      sendPage(reply, {
        title: ctx.title,
        lang: ctx.lang,
        body: html`<h1>${ctx.title}</h1>${notice ? html`<p class="notice" role="status">${notice}</p>` : raw('')}
<p>${ctx.t.signInIntro}</p>
<form method="post" action="${ctx.base}/sign-in"><label for="email">${ctx.t.email}</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<button type="submit">${ctx.t.signInSend}</button></form>`,
      });

    scope.get('/portal/assets/sign-in.js', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'public, max-age=3600');
      return reply.type('text/javascript; charset=utf-8').send(signInScript);
    });

    // Links that name no workspace (an acknowledgement mail's portal link): on a Steward with one workspace,
    // that workspace's portal; with several, the address alone cannot say which.
    scope.get('/portal', { schema: { hide: true } }, async (request, reply) => {
      const only = (await countWorkspaces(deps.db)) === 1 ? await findOldestWorkspace(deps.db) : undefined;
      return only ? reply.redirect(`/portal/${only.slug}`, 302) : missing(request, reply);
    });

    scope.get<{ Params: { slug: string }; Querystring: { sent?: string } }>(
      '/portal/:slug',
      { schema: { hide: true } },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const signed = await customerOf(request, ctx);
        if (!signed) return signInPage(reply, ctx, request.query.sent === '1' ? ctx.t.linkSent : undefined);
        const conversations = await customerConversations(deps, signed.who);
        const heading = await renderCustomerTemplate(
          deps.db,
          ctx.workspace.id,
          'portal.requests_heading',
          { customerLocale: ctx.lang },
          {},
        );
        // A new request goes through the workspace's first contact form that is on, when there is one.
        const form = (await listForms(deps.db, ctx.workspace.id)).find((f) => f.active);
        const newRequest = form
          ? await renderCustomerTemplate(
              deps.db,
              ctx.workspace.id,
              'portal.new_request_button',
              { customerLocale: ctx.lang },
              {},
            )
          : undefined;
        return sendPage(reply, {
          title: ctx.title,
          lang: ctx.lang,
          body: html`<header class="bar"><h1>${ctx.title}</h1>
<form method="post" action="${ctx.base}/sign-out"><input type="hidden" name="csrf" value="${portalCsrfToken(signed.secret)}"><button class="link" type="submit">${ctx.t.signOut}</button></form></header>
<h2>${heading.text}</h2>
${form && newRequest ? html`<p><a href="/forms/${form.publicKey}">${newRequest.text}</a></p>` : raw('')}
${conversations.length === 0 ? html`<p>${ctx.t.none}</p>` : html`<ul class="list">${conversations.map((c) => html`<li><a href="${ctx.base}/conversations/${c.id}">${c.subject}</a> <span class="hint">#${c.id} · ${ctx.t.statuses[c.status]} · ${c.updatedAt.toISOString().slice(0, 10)}</span></li>`)}</ul>`}`,
        });
      },
    );

    scope.post<{ Params: { slug: string } }>(
      '/portal/:slug/sign-in',
      { schema: { hide: true }, config: limited },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const email = z
          .string()
          .trim()
          .max(254)
          .safeParse((request.body as Record<string, unknown>)?.email);
        if (email.success) await requestPortalLink(deps, ctx.workspace.id, email.data);
        // The same answer for every address: nobody learns which ones we know.
        return reply.redirect(`${ctx.base}?sent=1`, 303);
      },
    );

    scope.get<{ Params: { slug: string } }>(
      '/portal/:slug/auth',
      { schema: { hide: true } },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        // A GET never uses the link: mail scanners open links, and must not spend a one-time sign-in.
        return sendPage(reply, {
          title: ctx.title,
          lang: ctx.lang,
          script: '/portal/assets/sign-in.js',
          body: html`<h1>${ctx.title}</h1><p>${ctx.t.signInConfirm}</p>
<form method="post" action="${ctx.base}/auth"><input type="hidden" id="token" name="token" value="">
<button type="submit">${ctx.t.signInButton}</button></form>`,
        });
      },
    );

    scope.post<{ Params: { slug: string } }>(
      '/portal/:slug/auth',
      { schema: { hide: true }, config: limited },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const token = String((request.body as Record<string, unknown>)?.token ?? '');
        const redeemed = await redeemPortalLink(deps, ctx.workspace.id, token);
        if (!redeemed.ok)
          return sendPage(reply, {
            title: ctx.title,
            lang: ctx.lang,
            status: 400,
            body: html`<h1>${ctx.title}</h1><p class="error" role="alert">${ctx.t.linkInvalid}</p><p><a href="${ctx.base}">${ctx.t.askAgain}</a></p>`,
          });
        reply.setCookie(PORTAL_COOKIE, redeemed.value.secret, {
          path: '/portal/',
          httpOnly: true,
          sameSite: 'lax',
          secure:
            deps.settings.cookieSecure === 'auto' ? request.protocol === 'https' : deps.settings.cookieSecure,
          maxAge: PORTAL_SESSION_TTL_MS / 1000,
        });
        return reply.redirect(ctx.base, 303);
      },
    );

    scope.post<{ Params: { slug: string } }>(
      '/portal/:slug/sign-out',
      { schema: { hide: true } },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const signed = await signedPost(request, ctx);
        if (signed) await endPortalSession(deps, signed.secret);
        reply.clearCookie(PORTAL_COOKIE, { path: '/portal/' });
        return reply.redirect(ctx.base, 303);
      },
    );

    scope.get<{ Params: { slug: string; id: string } }>(
      '/portal/:slug/conversations/:id',
      { schema: { hide: true } },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const signed = await customerOf(request, ctx);
        if (!signed) return reply.redirect(ctx.base, 303);
        const found = await customerTimeline(deps, signed.who, idOf(request.params.id));
        if (!found.ok) return missing(request, reply);
        const { conversation, messages, proposals, promises, resolutions } = found.value;
        const csrf = portalCsrfToken(signed.secret);
        const t = ctx.t;
        return sendPage(reply, {
          title: `${conversation.subject} · ${ctx.title}`,
          lang: ctx.lang,
          body: html`<header class="bar"><a href="${ctx.base}">← ${t.back}</a>
<form method="post" action="${ctx.base}/sign-out"><input type="hidden" name="csrf" value="${csrf}"><button class="link" type="submit">${t.signOut}</button></form></header>
<h1>${conversation.subject}</h1><p class="hint">#${conversation.id} · ${t.status}: ${t.statuses[conversation.status]}</p>
${promises.length ? html`<section class="promises" aria-labelledby="promises-title"><h2 id="promises-title">${t.promises}</h2><ul>${promises.map((p) => html`<li>${p.text} — ${t.promiseDue} <time datetime="${p.dueAt.toISOString()}">${dueForCustomer(p.dueAt, p.zone, ctx.lang)}</time></li>`)}</ul></section>` : raw('')}
${resolutions.length ? html`<section class="promises" aria-labelledby="resolutions-title"><h2 id="resolutions-title">${t.resolutions}</h2><ul>${resolutions.map((x) => html`<li>${x.name} ${x.unit === 'count' ? `× ${x.amount}` : `${(x.amount / 100).toFixed(2)} ${x.currency ?? ''}`} — ${x.status === 'applied' ? t.resolutionApplied : t.resolutionPending}</li>`)}</ul></section>` : raw('')}
${messages.map(
  (m) =>
    html`<article class="msg ${m.direction}"><div class="meta">${m.direction === 'inbound' ? t.you : t.us} · <time datetime="${m.createdAt.toISOString()}">${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</time></div>${m.bodyText}${m.attachments.length ? html`<div class="hint">${m.attachments.map((a) => html`<a href="${ctx.base}/conversations/${conversation.id}/attachments/${a.id}">📎 ${a.filename ?? t.attachment}</a> `)}</div>` : raw('')}</article>`,
)}
${proposals.length ? html`<h2>${t.proposals}</h2>${proposals.map((p) => html`<article class="msg proposal">${p.body}</article>`)}` : raw('')}
<form method="post" action="${ctx.base}/conversations/${conversation.id}/messages"><input type="hidden" name="csrf" value="${csrf}">
<label for="reply">${t.reply}</label><textarea id="reply" name="body" required maxlength="20000"></textarea><button type="submit">${t.replySend}</button></form>
<form method="post" action="${ctx.base}/conversations/${conversation.id}/proposals"><input type="hidden" name="csrf" value="${csrf}">
<h2><label for="proposal">${t.propose}</label></h2><p class="hint">${t.proposeHint}</p>
<textarea id="proposal" name="body" required maxlength="5000"></textarea><button type="submit">${t.proposeSend}</button></form>`,
        });
      },
    );

    scope.get<{ Params: { slug: string; id: string; attachmentId: string } }>(
      '/portal/:slug/conversations/:id/attachments/:attachmentId',
      { schema: { hide: true } },
      async (request, reply) => {
        const ctx = await context(request);
        if (!ctx) return missing(request, reply);
        const signed = await customerOf(request, ctx);
        if (!signed) return reply.redirect(ctx.base, 303);
        const found = await customerAttachment(
          deps,
          signed.who,
          idOf(request.params.id),
          idOf(request.params.attachmentId),
        );
        if (!found.ok) return missing(request, reply);
        const { attachment, content } = found.value;
        // Served like the agents' downloads: the sniffed type, scripts never run, risky types downloaded.
        return reply
          .header('content-type', servedType(attachment.contentType))
          .header('content-length', String(attachment.size))
          .header(
            'content-disposition',
            contentDisposition(dispositionOf(attachment.contentType), attachment.filename),
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(content);
      },
    );

    for (const [path, max, act] of [
      ['messages', 20_000, replyAsCustomer],
      ['proposals', 5000, proposeSolution],
    ] as const) {
      scope.post<{ Params: { slug: string; id: string } }>(
        `/portal/:slug/conversations/:id/${path}`,
        { schema: { hide: true }, config: limited },
        async (request, reply) => {
          const ctx = await context(request);
          if (!ctx) return missing(request, reply);
          const signed = await signedPost(request, ctx);
          if (!signed)
            return reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'Sign in again' } });
          const body = text(max).safeParse(signed.body.body);
          const id = idOf(request.params.id);
          if (!body.success || body.data.includes('\0'))
            return reply.redirect(`${ctx.base}/conversations/${id}`, 303);
          const done = await act(deps, signed.who, id, body.data);
          if (!done.ok) return missing(request, reply);
          const next = 'conversationId' in done.value ? done.value.conversationId : id;
          return reply.redirect(`${ctx.base}/conversations/${next}`, 303);
        },
      );
    }
  });
}
