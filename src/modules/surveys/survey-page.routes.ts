import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SurveyQuestions } from '../../db/schema/surveys.js';
import { type Deps, originAllowed } from '../../platform/index.js';
import { findCustomer } from '../customers/index.js';
import { html, type Raw, raw, sendPage } from '../portal/index.js';
import { answerSurvey, openSurvey } from './answer.service.js';
import type { SurveyResponse } from './surveys.repo.js';
import { surveyLanguage } from './texts.js';

export const SURVEY_REQUESTS_PER_MINUTE = 30;

/**
 * The one-click links ("Yes, fixed" / "Not fixed") open the page with the answer chosen; this script sends it
 * at once. A mail scanner that fetches the link without running scripts records nothing.
 */
const oneClickScript = `(function(){var f=document.getElementById('one-click');if(f){f.submit();}})();`;

const score = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .or(z.literal('').transform(() => undefined));
const answerForm = z.strictObject({
  fixed: z.enum(['yes', 'no']).optional(),
  csat: score(1, 5),
  ces: score(1, 7),
  nps: score(0, 10),
  comment: z
    .string()
    .trim()
    .max(5000)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

type T = ReturnType<typeof surveyLanguage>['t'];

function scale(
  name: string,
  label: string,
  min: number,
  max: number,
  low: string,
  high: string,
  current: number | null,
) {
  const options = [];
  for (let v = min; v <= max; v++)
    options.push(
      html`<label class="opt"><input type="radio" name="${name}" value="${v}"${raw(current === v ? ' checked' : '')}> ${v}</label>`,
    );
  return html`<fieldset><legend>${label}</legend><div class="scale">${options}</div>
<p class="hint">${min} = ${low}, ${max} = ${high}</p></fieldset>`;
}

function form(token: string, t: T, q: SurveyQuestions, r: SurveyResponse | undefined): Raw {
  const fixed = r?.fixed;
  return html`<form method="post" action="/survey/${token}">
<fieldset><legend>${t.fixedQuestion}</legend>
<label class="opt"><input type="radio" name="fixed" value="yes"${raw(fixed === true ? ' checked' : '')}> ${t.yes}</label>
<label class="opt"><input type="radio" name="fixed" value="no"${raw(fixed === false ? ' checked' : '')}> ${t.no}</label></fieldset>
${q.csat ? scale('csat', t.csat, 1, 5, t.csatLow, t.csatHigh, r?.csat ?? null) : raw('')}
${q.ces ? scale('ces', t.ces, 1, 7, t.cesLow, t.cesHigh, r?.ces ?? null) : raw('')}
${q.nps ? scale('nps', t.nps, 0, 10, t.npsLow, t.npsHigh, r?.nps ?? null) : raw('')}
${q.comment ? html`<label for="comment">${t.comment}</label><textarea id="comment" name="comment" maxlength="5000">${r?.comment ?? ''}</textarea>` : raw('')}
<button type="submit">${t.send}</button></form>`;
}

/** The public survey page at /survey/:token: no sign-in, the token is the key; rate limited per address. */
export function registerSurveyPage(app: FastifyInstance, deps: Deps): void {
  app.register(async (scope) => {
    await scope.register(rateLimit, { global: false });
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 32 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const limited = { rateLimit: { max: SURVEY_REQUESTS_PER_MINUTE, timeWindow: '1 minute' } };

    const plain = (
      request: FastifyRequest,
      reply: FastifyReply,
      key: 'notFound' | 'closed' | 'forbidden',
      status: number,
    ) => {
      const { lang, t } = surveyLanguage(null, request.headers['accept-language']);
      return sendPage(reply, { title: t[key], lang, status, body: html`<h1>${t[key]}</h1>` });
    };

    scope.get('/survey/assets/one-click.js', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'public, max-age=3600');
      return reply.type('text/javascript; charset=utf-8').send(oneClickScript);
    });

    scope.get<{ Params: { token: string }; Querystring: { fixed?: string } }>(
      '/survey/:token',
      { schema: { hide: true }, config: limited },
      async (request, reply) => {
        const opened = await openSurvey(deps, request.params.token);
        if (!opened.ok)
          return plain(
            request,
            reply,
            opened.code === 'SURVEY_CLOSED' ? 'closed' : 'notFound',
            opened.code === 'SURVEY_CLOSED' ? 410 : 404,
          );
        const { survey, response } = opened.value;
        const customer = await findCustomer(deps.db, survey.workspaceId, survey.customerId);
        const { lang, t } = surveyLanguage(customer?.locale, request.headers['accept-language']);
        const token = request.params.token;
        const fixed = request.query.fixed;
        if (fixed === 'yes' || fixed === 'no')
          return sendPage(reply, {
            title: t.title,
            lang,
            script: '/survey/assets/one-click.js',
            body: html`<h1>${t.title}</h1><form id="one-click" method="post" action="/survey/${token}">
<input type="hidden" name="fixed" value="${fixed}"><p>${fixed === 'yes' ? t.yes : t.no}</p>
<button type="submit">${t.send}</button></form>`,
          });
        return sendPage(reply, {
          title: t.title,
          lang,
          body: html`<h1>${t.title}</h1>${form(token, t, survey.questions, response)}`,
        });
      },
    );

    scope.post<{ Params: { token: string } }>(
      '/survey/:token',
      { schema: { hide: true }, config: limited },
      async (request, reply) => {
        if (!originAllowed(request, deps.settings.publicUrl)) return plain(request, reply, 'forbidden', 403);
        const opened = await openSurvey(deps, request.params.token);
        if (!opened.ok)
          return plain(
            request,
            reply,
            opened.code === 'SURVEY_CLOSED' ? 'closed' : 'notFound',
            opened.code === 'SURVEY_CLOSED' ? 410 : 404,
          );
        const customer = await findCustomer(
          deps.db,
          opened.value.survey.workspaceId,
          opened.value.survey.customerId,
        );
        const { lang, t } = surveyLanguage(customer?.locale, request.headers['accept-language']);
        const token = request.params.token;
        const parsed = answerForm.safeParse(request.body ?? {});
        const invalid = () =>
          sendPage(reply, {
            title: t.title,
            lang,
            status: 400,
            body: html`<h1>${t.title}</h1><p class="error" role="alert">${t.invalid}</p>${form(token, t, opened.value.survey.questions, opened.value.response)}`,
          });
        if (!parsed.success) return invalid();
        const { fixed, ...scores } = parsed.data;
        const answered = await answerSurvey(
          deps,
          token,
          { ...scores, ...(fixed ? { fixed: fixed === 'yes' } : {}) },
          'link',
        );
        if (!answered.ok) {
          if (answered.code === 'VALIDATION_FAILED') return invalid();
          return plain(
            request,
            reply,
            answered.code === 'SURVEY_CLOSED' ? 'closed' : 'notFound',
            answered.code === 'SURVEY_CLOSED' ? 410 : 404,
          );
        }
        const { survey, response } = answered.value;
        const q = survey.questions;
        const open =
          (q.csat && response.csat === null) ||
          (q.ces && response.ces === null) ||
          (q.nps && response.nps === null);
        return sendPage(reply, {
          title: t.thanks,
          lang,
          body: html`<h1>${t.thanks}</h1><p class="notice" role="status">${survey.reopenedAt ? t.reopened : t.thanks}</p>
${open ? html`<p>${t.more}</p>${form(token, t, q, response)}` : raw('')}`,
        });
      },
    );
  });
}
