import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Channel } from './types';

export type SurveyQuestions = { csat: boolean; ces: boolean; nps: boolean; comment: boolean };
export type FollowUpSettings = {
  enabled: boolean;
  delayMinutes: number;
  reminderMinutes: number | null;
  expireMinutes: number;
  fatigueDays: number;
  questions: SurveyQuestions;
  overrides: Array<{ channel?: Channel; tier?: string; questions: Partial<SurveyQuestions> }>;
  reopenOnNotFixed: boolean;
  reopenAtOrBelowCsat: number | null;
};
export type SurveyStatus = 'scheduled' | 'sent' | 'reminded' | 'answered' | 'expired' | 'skipped';
export type Survey = {
  id: number;
  status: SurveyStatus;
  skipReason: string | null;
  questions: SurveyQuestions;
  dueAt: string;
  sentAt: string | null;
  remindedAt: string | null;
  answeredAt: string | null;
  reopenedAt: string | null;
  response: {
    fixed: boolean | null;
    csat: number | null;
    ces: number | null;
    nps: number | null;
    comment: string | null;
    source: string;
  } | null;
};
export type Metric = 'csat' | 'ces' | 'nps';
export type Figure = { key: number | string | null; count: number; value: number | null };
export type Figures = {
  metric: Metric;
  definition: string;
  from: string;
  to: string;
  overall: Figure;
  groups: Figure[];
};

export const surveySettingsKey = ['survey-settings'];

export const surveysApi = {
  settings: () => api<FollowUpSettings>('GET', '/survey-settings'),
  change: (body: Partial<FollowUpSettings>) => api<FollowUpSettings>('PATCH', '/survey-settings', body),
  ofConversation: (id: number) => api<{ items: Survey[] }>('GET', `/conversations/${id}/surveys`),
  /** `period`: a `from=…&to=…` query (default: the last 30 days). */
  figures: (metric: Metric, by: string, period = '') => {
    const query = [period, by ? `by=${encodeURIComponent(by)}` : ''].filter(Boolean).join('&');
    return api<Figures>('GET', `/survey-figures/${metric}${query ? `?${query}` : ''}`);
  },
};

export function useSurveySettings() {
  return useQuery({ queryKey: surveySettingsKey, queryFn: surveysApi.settings });
}

/** Under ['conversation', id]: a realtime push about the conversation re-fetches it too. */
export function useConversationSurveys(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'surveys'],
    queryFn: () => surveysApi.ofConversation(conversationId),
  });
}

export function useSurveyFigures(metric: Metric, by: string, period = '') {
  return useQuery({
    queryKey: ['survey-figures', metric, by, period],
    queryFn: () => surveysApi.figures(metric, by, period),
  });
}
