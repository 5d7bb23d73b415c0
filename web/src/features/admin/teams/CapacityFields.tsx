import type { Capacity } from '../../../api/routing';
import type { Channel } from '../../../api/types';
import { channelLabel } from '../../../format';

export const capacityChannels: Channel[] = [
  'email',
  'chat',
  'webform',
  'phone',
  'sms',
  'whatsapp',
  'social',
  'api',
];

/** Capacity as the inputs hold it: a number per channel, or '' for no limit. */
export type CapacityDraft = Record<Channel, string>;

export const draftOf = (c: Capacity): CapacityDraft =>
  Object.fromEntries(
    capacityChannels.map((ch) => [ch, c[ch] === undefined ? '' : String(c[ch])]),
  ) as CapacityDraft;

export const capacityOf = (d: CapacityDraft): Capacity =>
  Object.fromEntries(
    capacityChannels.filter((ch) => d[ch].trim() !== '').map((ch) => [ch, Number(d[ch])]),
  ) as Capacity;

export const capacityText = (c: Capacity): string =>
  capacityChannels
    .filter((ch) => c[ch] !== undefined)
    .map((ch) => `${channelLabel[ch]} ${c[ch]}`)
    .join(', ');

/** One number per channel: the most open conversations routing gives an agent there (empty: no limit). */
export function CapacityFields({
  idPrefix,
  draft,
  onChange,
  emptyMeans,
}: {
  idPrefix: string;
  draft: CapacityDraft;
  onChange(next: CapacityDraft): void;
  emptyMeans: string;
}) {
  return (
    <div className="values-grid capacity-grid">
      {capacityChannels.map((ch) => (
        <div key={ch} className="capacity-field">
          <label htmlFor={`${idPrefix}-${ch}`}>{channelLabel[ch]}</label>
          <input
            id={`${idPrefix}-${ch}`}
            type="number"
            inputMode="numeric"
            min={0}
            max={1000}
            placeholder={emptyMeans}
            value={draft[ch]}
            onChange={(e) => onChange({ ...draft, [ch]: e.target.value })}
          />
        </div>
      ))}
    </div>
  );
}
