CREATE TABLE "message_sentiments" (
	"workspace_id" bigint NOT NULL,
	"message_id" bigint NOT NULL,
	"score" real NOT NULL,
	"label" text NOT NULL,
	"lexicon_label" text NOT NULL,
	"source" text DEFAULT 'lexicon' NOT NULL,
	"signals" text[] DEFAULT '{}'::text[] NOT NULL,
	"corrected_by_id" bigint,
	"corrected_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_sentiments_workspace_id_message_id_pk" PRIMARY KEY("workspace_id","message_id")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "distress_signals" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "distress_level" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_sentiments" ADD CONSTRAINT "message_sentiments_workspace_id_message_id_messages_workspace_id_id_fk" FOREIGN KEY ("workspace_id","message_id") REFERENCES "public"."messages"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_sentiments" ADD CONSTRAINT "message_sentiments_workspace_id_corrected_by_id_people_workspace_id_id_fk" FOREIGN KEY ("workspace_id","corrected_by_id") REFERENCES "public"."people"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_distress_idx" ON "conversations" USING btree ("workspace_id","status","distress_level" DESC NULLS LAST,(coalesce(case when last_outbound_at >= last_inbound_at then null else last_inbound_at end, 'infinity'::timestamptz)),"id");