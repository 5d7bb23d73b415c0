import { useState } from 'react';
import type { Conversation } from '../../api/types';
import { CallDialog } from './CallLog';
import { ForwardDialog } from './ForwardDialog';
import { MergeDialog } from './MergeSplit';

/** The conversation's less frequent actions: log a call, forward, merge, split — each opens its dialog. */
export function ConversationTools({
  conversation,
  messageCount,
  splitting,
  onSplitting,
}: {
  conversation: Conversation;
  messageCount: number;
  splitting: boolean;
  onSplitting(on: boolean): void;
}) {
  const [open, setOpen] = useState<'call' | 'forward' | 'merge' | null>(null);
  const close = () => setOpen(null);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen('call')}>
        Log a call…
      </button>
      <button type="button" className="button" onClick={() => setOpen('forward')}>
        Forward…
      </button>
      <button type="button" className="button" onClick={() => setOpen('merge')}>
        Merge…
      </button>
      <button
        type="button"
        className="button"
        aria-pressed={splitting}
        onClick={() => onSplitting(!splitting)}
        disabled={messageCount < 2}
        title={messageCount < 2 ? 'A conversation with one message cannot be split' : undefined}
      >
        Split…
      </button>
      {open === 'call' && <CallDialog conversation={conversation} onClose={close} />}
      {open === 'forward' && <ForwardDialog conversation={conversation} onClose={close} />}
      {open === 'merge' && <MergeDialog conversation={conversation} onClose={close} />}
    </>
  );
}
