import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dataApi, type Erasure, type ErasureReason, erasureReasons } from '../../api/admin';
import { plural } from '../../format';
import { useCustomer } from '../customers/CustomerPanel';
import { ConfirmDialog, ErrorNote } from './ui';
import './admin.css';

const reasonLabel: Record<ErasureReason, string> = {
  subject_request: 'The customer asked for it (GDPR request)',
  retention_policy: 'Our retention policy',
  legal_obligation: 'A legal obligation',
  other: 'Another reason',
};

/**
 * "Erase customer" on a customer's page, for admins (datacare.erase): a dialog that asks for the reason and the
 * customer's name typed out, then a plain account of what was removed. Loaded lazily with the admin code.
 */
export default function EraseCustomerButton({ customerId }: { customerId: number }) {
  const client = useQueryClient();
  const customer = useCustomer(customerId);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState<ErasureReason>('subject_request');
  const [result, setResult] = useState<{ name: string; erasure: Erasure } | null>(null);
  const name = customer.data?.name.trim() ?? '';
  // A customer without a name (or one already erased) is confirmed by typing ERASE.
  const expected = name || 'ERASE';
  const erase = useMutation({
    mutationFn: () => dataApi.erase(customerId, reason),
    onSuccess: (res) => {
      setOpen(false);
      setResult({ name: expected === 'ERASE' ? `Customer ${customerId}` : name, erasure: res.erasure });
      void client.invalidateQueries({ queryKey: ['customer', customerId] });
      void client.invalidateQueries({ queryKey: ['customer-conversations', customerId] });
      void client.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  if (!customer.data) return null;
  const e = result?.erasure;
  return (
    <section className="danger-zone" aria-labelledby="erase-customer-title">
      <h2 id="erase-customer-title">Personal data</h2>
      {e && result ? (
        <div className="result-box" role="status">
          <p>
            {result.name}'s personal data is erased: {plural(e.customers, 'customer record')},{' '}
            {plural(e.identities, 'identity', 'identities')}, the text of {plural(e.messages, 'message')} in{' '}
            {plural(e.conversations, 'conversation')} and {plural(e.attachments, 'attachment')}. The
            conversations stay, without personal data, for your metrics.
          </p>
        </div>
      ) : (
        <p className="small muted">
          Erasing removes this customer's name, identities, notes, message text and attachments for good.
        </p>
      )}
      <button
        type="button"
        className="button danger-outline"
        onClick={() => {
          setTyped('');
          erase.reset();
          setOpen(true);
        }}
      >
        Erase customer…
      </button>
      {open && (
        <ConfirmDialog
          title={`Erase ${name || 'this customer'}?`}
          confirmLabel="Erase personal data"
          danger
          busy={erase.isPending}
          canConfirm={typed.trim() === expected}
          onClose={() => setOpen(false)}
          onConfirm={() => erase.mutate()}
        >
          <p>
            This removes the customer's name, company, notes, e-mail addresses, phone numbers and other
            identities, the text and attachments of their messages, and personal values in the history. It
            cannot be undone. Conversations, their times and statuses stay for your metrics.
          </p>
          <label htmlFor="erase-reason">Reason</label>
          <select
            id="erase-reason"
            value={reason}
            onChange={(ev) => setReason(ev.target.value as ErasureReason)}
          >
            {erasureReasons.map((r) => (
              <option key={r} value={r}>
                {reasonLabel[r]}
              </option>
            ))}
          </select>
          <label htmlFor="erase-confirm">
            Type <strong>{expected}</strong> to confirm
          </label>
          <input
            id="erase-confirm"
            autoComplete="off"
            value={typed}
            onChange={(ev) => setTyped(ev.target.value)}
          />
          <ErrorNote error={erase.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}
