import { useParams } from 'react-router';
import { CustomerPanel } from './CustomerPanel';

export function CustomerPage() {
  const id = Number(useParams().id);
  return (
    <div className="customer-page">
      <CustomerPanel customerId={id} headingLevel={1} />
    </div>
  );
}
