import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { distressSignals, sentimentLabels, sentimentSources } from '../../db/schema/understanding.js';
import {
  commonErrors,
  type Deps,
  idParam,
  iso,
  isoTime,
  optionalIsoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { moodScore } from './sentiment.js';
import type { MessageSentiment, ScoredMessage } from './understanding.repo.js';
import { conversationSentiment, correctSentiment } from './understanding.service.js';

const tags = ['understanding'];

const sentimentFields = {
  messageId: z.number(),
  score: z
    .number()
    .describe(
      "-1 very negative .. 1 very positive: the lexicon's compound score, or the middle of the label's band (-0.5, 0, 0.5) when the label says otherwise (distress, the sentiment model, an agent)",
    ),
  lexiconScore: z.number().describe("The lexicon's own compound score (VADER)"),
  label: z.enum(sentimentLabels).describe('What the message is taken to be: the lexicon, or an agent'),
  lexiconLabel: z.enum(sentimentLabels).describe("The lexicon's own label (VADER)"),
  source: z
    .enum(sentimentSources)
    .describe(
      "`lexicon`; `model` when the workspace's sentiment model labelled it; `agent` once an agent corrected it",
    ),
  signals: z.array(z.enum(distressSignals)),
  correctedById: z.number().nullable(),
  correctedAt: optionalIsoTime,
};
const scoredSchema = z.object({ ...sentimentFields, messageAt: isoTime }).describe('ScoredMessage');

const presentSentiment = (m: Omit<MessageSentiment, 'workspaceId' | 'createdAt'>) => ({
  messageId: m.messageId,
  score: moodScore(m.score, m.label),
  lexiconScore: m.score,
  label: m.label,
  lexiconLabel: m.lexiconLabel,
  source: m.source,
  signals: m.signals,
  correctedById: m.correctedById,
  correctedAt: iso(m.correctedAt),
});

const presentScored = (m: ScoredMessage) => ({ ...presentSentiment(m), messageAt: iso(m.messageAt)! });

export function registerUnderstandingRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/conversations/:id/sentiment',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          "How the customer feels: each of their messages' sentiment and distress, the first and the last, and why",
        params: idParam,
        response: {
          200: z.object({
            first: scoredSchema.nullable(),
            last: scoredSchema.nullable(),
            change: z
              .number()
              .nullable()
              .describe("The last customer message's score minus the first's (-2..2); null: none yet"),
            signals: z
              .array(
                z.object({
                  signal: z.enum(distressSignals),
                  messageId: z.number().describe('The first message that showed it'),
                  phrase: z.string().nullable().describe('The words that raised it'),
                }),
              )
              .describe('Each distress signal of the conversation once, and why'),
            messages: z.array(scoredSchema).describe('Oldest first: the first, then up to the latest 199'),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const s = unwrap(await conversationSentiment(deps, p.workspaceId, request.params.id));
      return {
        first: s.first && presentScored(s.first),
        last: s.last && presentScored(s.last),
        change: s.change,
        signals: s.signals,
        messages: s.messages.map(presentScored),
      };
    },
  );

  r.put(
    '/messages/:id/sentiment',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: "Correct or confirm a customer message's sentiment label (kept as a label to learn from)",
        description:
          'The label it has already confirms it: a label to learn from too, so the sentiment model sees what the lexicon gets right as well as its mistakes. Records `message.sentiment_corrected` with before and after.',
        params: idParam,
        body: z.strictObject({ label: z.enum(sentimentLabels) }),
        response: { 200: z.object(sentimentFields).describe('MessageSentiment'), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentSentiment(unwrap(await correctSentiment(deps, p, request.params.id, request.body.label)));
    },
  );
}
