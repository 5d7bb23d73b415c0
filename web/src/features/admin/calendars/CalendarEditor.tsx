import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type Calendar, type CalendarInput, calendarsApi, type Interval } from '../../../api/admin';
import { ConfirmDialog, ErrorNote } from '../ui';
import { browserZone, dayNames, days, inZone, timeZones } from './week';

type Row = Interval & { key: number };
type HolidayRow = { key: number; date: string; yearly: boolean; name: string };
let nextKey = 1;
const keyed = <T extends object>(x: T) => ({ ...x, key: nextKey++ });

const workday = () => [keyed({ start: '09:00', end: '17:00' })];
const blankWeek = (): Record<string, Row[]> => ({
  '1': workday(),
  '2': workday(),
  '3': workday(),
  '4': workday(),
  '5': workday(),
  '6': [],
  '7': [],
});

/** Create (no `calendar`) or edit a calendar: zone, hours per weekday, holidays, default; preview once saved. */
export function CalendarEditor({ calendar }: { calendar?: Calendar }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const ids = useId();
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? browserZone());
  const [alwaysOpen, setAlwaysOpen] = useState(calendar?.alwaysOpen ?? false);
  const [isDefault, setIsDefault] = useState(calendar?.isDefault ?? false);
  const [week, setWeek] = useState<Record<string, Row[]>>(() =>
    calendar
      ? Object.fromEntries(days.map((d) => [d, (calendar.week[d] ?? []).map((i) => keyed({ ...i }))]))
      : blankWeek(),
  );
  const [holidays, setHolidays] = useState<HolidayRow[]>(() =>
    (calendar?.holidays ?? []).map((h) =>
      keyed({ date: h.date, yearly: h.yearly ?? false, name: h.name ?? '' }),
    ),
  );
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const zones = useMemo(() => timeZones(timeZone), [timeZone]);

  const input = (): CalendarInput => ({
    name,
    timeZone,
    alwaysOpen,
    isDefault,
    week: Object.fromEntries(days.map((d) => [d, week[d]!.map(({ start, end }) => ({ start, end }))])),
    holidays: holidays.map((h) => ({ date: h.date, yearly: h.yearly, ...(h.name ? { name: h.name } : {}) })),
  });
  const save = useMutation({
    mutationFn: () => (calendar ? calendarsApi.update(calendar.id, input()) : calendarsApi.create(input())),
    onSuccess: (c) => {
      client.setQueryData(['calendar', c.id], c);
      void client.invalidateQueries({ queryKey: ['calendars'] });
      void client.invalidateQueries({ queryKey: ['calendar-preview', c.id] });
      setSaved(true);
      if (!calendar) navigate(`/admin/calendars/${c.id}`, { replace: true });
    },
  });
  const remove = useMutation({
    mutationFn: () => calendarsApi.remove(calendar!.id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['calendars'] });
      navigate('/admin/calendars');
    },
  });
  const changed =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setSaved(false);
    };
  const setDay = changed((v: { day: string; rows: Row[] }) => setWeek((w) => ({ ...w, [v.day]: v.rows })));
  const editInterval = (day: string, key: number, field: 'start' | 'end', value: string) =>
    setDay({ day, rows: week[day]!.map((r) => (r.key === key ? { ...r, [field]: value } : r)) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/admin/calendars">Business hours</Link>
      </p>
      <h1>{calendar ? calendar.name : 'New calendar'}</h1>
      <div className="editor-grid">
        <form
          className="admin-form"
          onSubmit={submit}
          aria-describedby={save.isError ? `${ids}-error` : undefined}
        >
          <div className="field">
            <label htmlFor={`${ids}-name`}>Name</label>
            <input
              id={`${ids}-name`}
              required
              maxLength={80}
              value={name}
              onChange={(e) => changed(setName)(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-zone`}>Time zone</label>
            <select
              id={`${ids}-zone`}
              value={timeZone}
              onChange={(e) => changed(setTimeZone)(e.target.value)}
            >
              {zones.map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={alwaysOpen}
              onChange={(e) => changed(setAlwaysOpen)(e.target.checked)}
            />
            Always open (around the clock; hours and holidays are ignored)
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={isDefault}
              onChange={(e) => changed(setIsDefault)(e.target.checked)}
            />
            Workspace default (for every team without a calendar of its own)
          </label>

          <fieldset className="week" disabled={alwaysOpen}>
            <legend>Opening hours</legend>
            <p className="muted small">
              Times in {timeZone}, as HH:MM. Add a second interval for a lunch break; 24:00 is midnight at the
              end of the day.
            </p>
            <div>
              <button
                type="button"
                className="button small"
                onClick={changed(() =>
                  setWeek((w) => ({
                    ...w,
                    ...Object.fromEntries(
                      ['2', '3', '4', '5'].map((d) => [
                        d,
                        w['1']!.map((r) => keyed({ start: r.start, end: r.end })),
                      ]),
                    ),
                  })),
                )}
              >
                Copy Monday's hours to Tuesday–Friday
              </button>
            </div>
            {days.map((day, i) => {
              const rows = week[day]!;
              const dayName = dayNames[i]!;
              return (
                <div className="day" key={day}>
                  <span className="day-name">{dayName}</span>
                  <div className="day-intervals">
                    {rows.length === 0 && <span className="muted">Closed</span>}
                    {rows.map((r, n) => (
                      <span className="interval" key={r.key}>
                        <input
                          className="time"
                          aria-label={`${dayName}, interval ${n + 1}, opens`}
                          value={r.start}
                          placeholder="09:00"
                          inputMode="numeric"
                          maxLength={5}
                          onChange={(e) => editInterval(day, r.key, 'start', e.target.value)}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          className="time"
                          aria-label={`${dayName}, interval ${n + 1}, closes`}
                          value={r.end}
                          placeholder="17:00"
                          inputMode="numeric"
                          maxLength={5}
                          onChange={(e) => editInterval(day, r.key, 'end', e.target.value)}
                        />
                        <button
                          type="button"
                          className="button small icon"
                          aria-label={`Remove ${dayName} ${r.start}–${r.end}`}
                          onClick={() => setDay({ day, rows: rows.filter((x) => x.key !== r.key) })}
                        >
                          ×
                        </button>
                      </span>
                    ))}
                  </div>
                  <div className="day-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        const last = rows.at(-1);
                        const start = last ? last.end : '09:00';
                        setDay({ day, rows: [...rows, keyed({ start, end: last ? '' : '17:00' })] });
                      }}
                    >
                      Add hours<span className="visually-hidden"> on {dayName}</span>
                    </button>
                  </div>
                </div>
              );
            })}
          </fieldset>

          <fieldset className="holidays" disabled={alwaysOpen}>
            <legend>Holidays</legend>
            {holidays.length === 0 && (
              <p className="muted small">No holidays: open on every weekday above.</p>
            )}
            {holidays.map((h, n) => (
              <div className="holiday" key={h.key}>
                <input
                  type="date"
                  aria-label={`Holiday ${n + 1}, date`}
                  required
                  value={h.date}
                  onChange={(e) =>
                    changed(setHolidays)(
                      holidays.map((x) => (x.key === h.key ? { ...x, date: e.target.value } : x)),
                    )
                  }
                />
                <input
                  aria-label={`Holiday ${n + 1}, name`}
                  placeholder="Name (optional)"
                  maxLength={100}
                  value={h.name}
                  onChange={(e) =>
                    changed(setHolidays)(
                      holidays.map((x) => (x.key === h.key ? { ...x, name: e.target.value } : x)),
                    )
                  }
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={h.yearly}
                    onChange={(e) =>
                      changed(setHolidays)(
                        holidays.map((x) => (x.key === h.key ? { ...x, yearly: e.target.checked } : x)),
                      )
                    }
                  />
                  Every year<span className="visually-hidden"> (holiday {n + 1})</span>
                </label>
                <button
                  type="button"
                  className="button small icon"
                  aria-label={`Remove holiday ${n + 1}${h.name ? ` (${h.name})` : ''}`}
                  onClick={() => changed(setHolidays)(holidays.filter((x) => x.key !== h.key))}
                >
                  ×
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button small"
              onClick={() =>
                changed(setHolidays)([...holidays, keyed({ date: '', yearly: false, name: '' })])
              }
            >
              Add a holiday
            </button>
          </fieldset>

          <ErrorNote
            error={save.error}
            id={`${ids}-error`}
            lead="The calendar cannot be saved:"
            wording={(p) => p.replace(/\bday ([1-7])\b/g, (_, d: string) => dayNames[Number(d) - 1]!)}
          />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={save.isPending}>
              {calendar ? 'Save changes' : 'Create calendar'}
            </button>
            {calendar && (
              <button type="button" className="button danger-outline" onClick={() => setConfirmDelete(true)}>
                Delete calendar
              </button>
            )}
            <span role="status" className="muted">
              {save.isPending ? 'Saving…' : saved && calendar ? 'Saved.' : ''}
            </span>
          </div>
          <ErrorNote error={remove.error} />
        </form>
        {calendar && <Preview calendar={calendar} />}
      </div>
      {confirmDelete && calendar && (
        <ConfirmDialog
          title={`Delete ${calendar.name}?`}
          confirmLabel="Delete calendar"
          danger
          busy={remove.isPending}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            remove.mutate();
          }}
        >
          <p>A calendar that is the workspace default or a team's calendar cannot be deleted.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** "A conversation arriving now, due in N business minutes, is due at …", from the saved calendar. */
function Preview({ calendar }: { calendar: Calendar }) {
  const [minutes, setMinutes] = useState(240);
  const valid = Number.isInteger(minutes) && minutes >= 0 && minutes <= 525_600;
  const preview = useQuery({
    queryKey: ['calendar-preview', calendar.id, minutes],
    queryFn: () => calendarsApi.preview(calendar.id, minutes),
    enabled: valid,
  });
  const p = preview.data;
  return (
    <section className="preview-card" aria-labelledby="calendar-preview">
      <h2 id="calendar-preview">Check the hours</h2>
      <div className="field">
        <label htmlFor="preview-minutes">Due in business minutes</label>
        <input
          id="preview-minutes"
          type="number"
          min={0}
          max={525600}
          step={15}
          value={Number.isNaN(minutes) ? '' : minutes}
          onChange={(e) => setMinutes(e.target.valueAsNumber)}
        />
      </div>
      {!valid && <p className="form-error">Enter a number of minutes, 0 or more.</p>}
      {preview.isPending && valid && <p className="loading">Working it out…</p>}
      <ErrorNote error={preview.error} />
      {p && (
        <div aria-live="polite" className="preview-result">
          <p>
            A conversation arriving now ({inZone(p.from, calendar.timeZone)}), due in {p.minutes} business
            minutes, is due at <strong>{inZone(p.due, calendar.timeZone)}</strong>.
          </p>
          <p className="muted small">
            {p.openAtFrom
              ? 'The calendar is open now.'
              : `The calendar is closed now; it opens ${inZone(p.nextOpen, calendar.timeZone)}.`}{' '}
            Times in {calendar.timeZone}. The preview uses the saved hours.
          </p>
        </div>
      )}
    </section>
  );
}
