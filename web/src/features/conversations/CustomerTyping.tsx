import { useCustomerTyping } from './presence';

/** "Dana is typing…" while the customer types in the live chat. */
export function CustomerTyping({ conversationId, name }: { conversationId: number; name?: string }) {
  const typing = useCustomerTyping(conversationId);
  return (
    <p className="customer-typing muted" role="status">
      {typing ? `${name ?? 'The customer'} is typing…` : ''}
    </p>
  );
}
