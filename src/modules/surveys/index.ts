import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import { registerSurveyPage } from './survey-page.routes.js';
import { SURVEYS_CONSUMER, surveysConsumer } from './surveys.consumer.js';
import { surveyJobHandlers as handlers } from './surveys.jobs.js';
import { registerSurveyRoutes } from './surveys.routes.js';

export { answerSurvey, SURVEY_REOPEN_JOB } from './answer.service.js';
export { SURVEY_SEND_JOB } from './surveys.consumer.js';
export { SURVEY_EXPIRE_JOB, SURVEY_REMIND_JOB } from './surveys.jobs.js';
export { eraseSurveyComments } from './surveys.repo.js';

/** The module's /api/v1 routes: settings, a conversation's surveys, the CSAT/CES/NPS figures. */
export function registerSurveyModuleRoutes(api: FastifyInstance, deps: Deps): void {
  registerSurveyRoutes(api, deps);
}

/** The public survey page (/survey/:token), outside the API. */
export function registerSurveyPublicPage(app: FastifyInstance, deps: Deps): void {
  registerSurveyPage(app, deps);
}

export function surveyJobHandlers(deps: Deps): Record<string, JobHandler> {
  return handlers(deps);
}

export const surveyEventConsumers: Record<string, EventConsumer> = { [SURVEYS_CONSUMER]: surveysConsumer };
