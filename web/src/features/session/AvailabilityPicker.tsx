import { useId } from 'react';
import { messageOf } from '../../api/client';
import { availabilityLabel, useMyAvailability, useSetAvailability } from '../../api/routing';
import type { Availability } from '../../api/types';

const choices: Availability[] = ['online', 'away', 'offline'];

/**
 * My status in the top bar: online (routing gives me new conversations), away or offline (it does not).
 * Saved on the server at once, so it stays after a reload and colleagues see it.
 */
export function AvailabilityPicker() {
  const id = useId();
  const mine = useMyAvailability();
  const set = useSetAvailability();
  const value = set.isPending ? set.variables : mine.data?.availability;
  return (
    <span className={`availability availability-${value ?? 'unknown'}`}>
      <span className="availability-dot" aria-hidden="true" />
      <label htmlFor={id} className="visually-hidden">
        My status (online gets new conversations)
      </label>
      <select
        id={id}
        value={value ?? ''}
        disabled={!mine.data}
        onChange={(e) => set.mutate(e.target.value as Availability)}
        aria-describedby={set.isError ? `${id}-error` : undefined}
      >
        {!mine.data && <option value="">…</option>}
        {choices.map((a) => (
          <option key={a} value={a}>
            {availabilityLabel[a]}
          </option>
        ))}
      </select>
      {set.isError && (
        <span id={`${id}-error`} role="alert" className="visually-hidden">
          Your status was not saved: {messageOf(set.error)}
        </span>
      )}
    </span>
  );
}
