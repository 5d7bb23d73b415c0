export {
  type Placeholder,
  placeholders,
  shippedLocales,
  type TemplateFormat,
  type TemplateKey,
  templateKeys,
} from './defaults.js';
export { localeChain, normalizeLocale, type TemplateValues, templateProblems } from './render.js';
export { registerTemplateRoutes } from './templates.routes.js';
export { type RenderedTemplate, renderCustomerTemplate } from './templates.service.js';
