import type { ReasonEntry } from './reason-types.js';

/**
 * The 27 Bitext intents as contact reasons of the same company's online shop. "Where is my order/refund",
 * payment problems, sign-up failures, complaints and "how do I reach you" are failure demand.
 */
export const bitextReasons: readonly ReasonEntry[] = [
  ['cancel_order', 'Cancel my order', false, 'Orders', 5],
  ['change_order', 'Change my order', false, 'Orders', 4],
  ['change_shipping_address', 'Change my delivery address', false, 'Logistics', 3],
  ['check_cancellation_fee', 'Cancellation fee', false, 'Billing', 2],
  ['check_invoice', 'Question about my invoice', false, 'Billing', 3],
  ['check_payment_methods', 'Which payment methods do you accept?', false, 'Product', 2],
  ['check_refund_policy', 'Your refund policy', false, 'Billing', 2],
  ['complaint', 'Complaint', true, 'Customer service', 4, 'high'],
  ['contact_customer_service', 'How do I contact customer service?', true, 'Customer service', 3],
  ['contact_human_agent', 'I want to talk to a person', true, 'Customer service', 3],
  ['create_account', 'Creating an account', false, 'Product', 2],
  ['delete_account', 'Delete my account', false, 'Accounts', 2],
  ['delivery_options', 'Delivery options', false, 'Logistics', 3],
  ['delivery_period', 'When will my order arrive?', true, 'Logistics', 7],
  ['edit_account', 'Updating my account', false, 'Accounts', 3],
  ['get_invoice', 'I need a copy of my invoice', true, 'Billing', 3],
  ['get_refund', 'I want a refund', false, 'Billing', 5],
  ['newsletter_subscription', 'Newsletter subscription', false, 'Marketing', 2],
  ['payment_issue', 'Problem with my payment', true, 'Payments', 5],
  ['place_order', 'Help placing an order', false, 'Sales', 3],
  ['recover_password', "I can't get into my account", false, 'Accounts', 4],
  ['registration_problems', 'Problem signing up', true, 'Product', 3],
  ['review', 'Feedback about a product', false, 'Marketing', 2],
  ['set_up_shipping_address', 'Setting up a delivery address', false, 'Product', 2],
  ['switch_account', 'Changing my account plan', false, 'Sales', 2],
  ['track_order', 'Where is my order?', true, 'Logistics', 10],
  ['track_refund', 'Where is my refund?', true, 'Billing', 6],
];
