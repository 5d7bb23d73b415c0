import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { csvErrorsOf, reasonsApi, type TaxonomyImport } from '../../../api/admin';
import { ApiError } from '../../../api/client';
import { ErrorNote } from '../ui';

const outcomeLabel = { created: 'New', updated: 'Changed', unchanged: 'Unchanged' } as const;

/** Download the taxonomy as CSV; import one: a dry run shows what would change, then the import. */
export function CsvSection() {
  const client = useQueryClient();
  const [bom, setBom] = useState(false);
  const [csv, setCsv] = useState('');
  const [fileNote, setFileNote] = useState('');
  const [checked, setChecked] = useState<{ csv: string; result: TaxonomyImport } | null>(null);
  const [done, setDone] = useState<TaxonomyImport | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => reasonsApi.importCsv(csv, dryRun),
    onMutate: () => setDone(null),
    onSuccess: (result) => {
      if (result.dryRun) setChecked({ csv, result });
      else {
        setChecked(null);
        setDone(result);
        void client.invalidateQueries({ queryKey: ['contact-reasons'] });
        void client.invalidateQueries({ queryKey: ['departments'] });
      }
    },
    onError: () => setChecked(null),
  });
  const rowErrors = csvErrorsOf(run.error);
  const ready = checked !== null && checked.csv === csv;
  const changes = (r: TaxonomyImport) => r.rows.filter((x) => x.outcome !== 'unchanged');

  return (
    <section id="reasons-csv" aria-labelledby="csv-title" className="admin-section">
      <h2 id="csv-title">Spreadsheet (CSV)</h2>
      <div className="admin-form csv-box">
        <h3>Export</h3>
        <p className="muted small">
          Columns: id, path (“Billing &gt; Charged twice”), description, department, avoidable, status.
        </p>
        <div className="form-actions">
          <a className="button" href={reasonsApi.exportUrl(bom)} download="contact-reasons.csv">
            Download CSV
          </a>
          <label className="check">
            <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
            For Excel (adds a byte-order mark, so umlauts show right)
          </label>
        </div>

        <h3>Import</h3>
        <p className="muted small">
          Rows match existing reasons by path, so importing the same file twice changes nothing. Only path is
          required; groups and departments named in the file are created. A file with a bad row changes
          nothing.
        </p>
        <div className="field">
          <label htmlFor="csv-file">Choose a CSV file</label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              if (file.size > 1_000_000) {
                setFileNote(`${file.name} is too large: at most 500,000 characters.`);
                return;
              }
              setCsv(await file.text());
              setFileNote(`${file.name} loaded. Check it, then import.`);
            }}
          />
          <span className="small muted" role="status">
            {fileNote}
          </span>
        </div>
        <div className="field">
          <label htmlFor="csv-text">Or paste the CSV</label>
          <textarea
            id="csv-text"
            rows={6}
            value={csv}
            spellCheck={false}
            placeholder={'path,avoidable,department\nBilling > Charged twice,yes,Billing'}
            onChange={(e) => setCsv(e.target.value)}
          />
        </div>
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={!csv.trim() || run.isPending}
            onClick={() => run.mutate(true)}
          >
            Check (dry run)
          </button>
          <button
            type="button"
            className="button primary"
            disabled={!ready || run.isPending}
            onClick={() => run.mutate(false)}
          >
            Import
          </button>
          <span className="small muted">{ready ? '' : 'Check the file first; then Import applies it.'}</span>
        </div>

        {run.error instanceof ApiError && rowErrors.length > 0 ? (
          <div className="error-box admin-error" role="alert">
            <p>
              Nothing was changed: {rowErrors.length} row
              {rowErrors.length === 1 ? ' has a problem' : 's have problems'}. Fix{' '}
              {rowErrors.length === 1 ? 'it' : 'them'} in the file and check again.
            </p>
            <div className="scroll-table">
              <table className="table">
                <caption className="visually-hidden">Rows with problems</caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {rowErrors.map((e) => (
                    <tr key={`${e.row}-${e.column ?? ''}-${e.message}`}>
                      <td className="num">{e.row}</td>
                      <td>{e.column ?? '–'}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : (
          <ErrorNote error={run.error} />
        )}

        {checked && (
          <div className="result-box" aria-live="polite">
            <p className="summary-line">
              The check found no problems. Importing would create {checked.result.created}, change{' '}
              {checked.result.updated} and leave {checked.result.unchanged} unchanged.
              {checked.result.departmentsCreated.length > 0 &&
                ` New departments: ${checked.result.departmentsCreated.join(', ')}.`}
            </p>
            {!ready && <p>The text changed since the check: check it again.</p>}
            {changes(checked.result).length > 0 && (
              <Outcomes rows={changes(checked.result)} caption="What would change" />
            )}
          </div>
        )}
        {done && (
          <div className="result-box" role="status">
            <p className="summary-line">
              Imported: {done.created} created, {done.updated} changed, {done.unchanged} unchanged.
              {done.departmentsCreated.length > 0 &&
                ` New departments: ${done.departmentsCreated.join(', ')}.`}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}

function Outcomes({ rows, caption }: { rows: TaxonomyImport['rows']; caption: string }) {
  return (
    <div className="scroll-table">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Path</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path}>
              <td className="num">{r.row ?? 'group'}</td>
              <td>{r.path}</td>
              <td>{outcomeLabel[r.outcome]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
