import { customType } from 'drizzle-orm/pg-core';

/** A stored, generated tsvector; never written by the application. */
export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});
