/** What the reason-model and sentiment-model tables show of a model: its status in words, and rates. */
export type ModelStatus = 'training' | 'active' | 'rejected' | 'retired' | 'failed';

export const percent = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

export const modelStatusText: Record<ModelStatus, string> = {
  training: 'Training…',
  active: 'Active',
  rejected: 'Rejected',
  retired: 'Retired',
  failed: 'Failed',
};
