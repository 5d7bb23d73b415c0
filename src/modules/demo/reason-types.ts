/** The department a contact reason's root cause belongs to (the root-cause ledger charges avoidable contacts to it). */
export const departments = [
  'Card operations',
  'Payments',
  'Billing',
  'Compliance',
  'Risk & fraud',
  'Accounts',
  'Product',
  'Orders',
  'Logistics',
  'Sales',
  'Customer service',
  'Marketing',
] as const;
export type Department = (typeof departments)[number];

export type ContactReason = {
  /** `banking77:card_arrival`, `bitext:track_order`: the source set and its intent. */
  key: string;
  source: 'banking77' | 'bitext';
  /** The intent as named in the source set. */
  intent: string;
  /** A subject line a customer (or a web form) would plausibly give such a request. */
  subject: string;
  /**
   * Failure demand: the contact exists only because something went wrong or was unclear (where is my order,
   * charged twice). Value demand (I want to order, change my PIN) is the rest.
   */
  avoidable: boolean;
  department: Department;
  /** Relative frequency among all contacts. */
  weight: number;
  /** Raised priority for reasons where money or security is at stake. */
  priority?: 'high' | 'urgent';
};

/** [intent, subject, avoidable, department, weight, priority?] — compact so the whole table reads at a glance. */
export type ReasonEntry = readonly [string, string, boolean, Department, number, ('high' | 'urgent')?];
