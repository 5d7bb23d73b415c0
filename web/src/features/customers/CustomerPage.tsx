import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { can, useSession } from '../session/session';
import { CustomerPanel } from './CustomerPanel';

/** Admin-only, so loaded only for admins. */
const EraseCustomerButton = lazy(() => import('../admin/EraseCustomerButton'));

export function CustomerPage() {
  const id = Number(useParams().id);
  const session = useSession();
  return (
    <div className="customer-page">
      <CustomerPanel customerId={id} headingLevel={1} />
      {can(session, 'datacare.erase') && (
        <Suspense fallback={null}>
          <EraseCustomerButton customerId={id} />
        </Suspense>
      )}
    </div>
  );
}
