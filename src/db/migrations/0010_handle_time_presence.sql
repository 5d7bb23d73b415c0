CREATE TABLE "conversation_viewers" (
	"workspace_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"person_id" bigint NOT NULL,
	"state" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_viewers_workspace_id_conversation_id_person_id_pk" PRIMARY KEY("workspace_id","conversation_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "handle_times" (
	"workspace_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"person_id" bigint NOT NULL,
	"day" date NOT NULL,
	"active_ms" integer DEFAULT 0 NOT NULL,
	"last_report_at" timestamp with time zone NOT NULL,
	"active" boolean NOT NULL,
	CONSTRAINT "handle_times_workspace_id_conversation_id_person_id_day_pk" PRIMARY KEY("workspace_id","conversation_id","person_id","day")
);
--> statement-breakpoint
ALTER TABLE "conversation_viewers" ADD CONSTRAINT "conversation_viewers_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_viewers" ADD CONSTRAINT "conversation_viewers_workspace_id_person_id_people_workspace_id_id_fk" FOREIGN KEY ("workspace_id","person_id") REFERENCES "public"."people"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handle_times" ADD CONSTRAINT "handle_times_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handle_times" ADD CONSTRAINT "handle_times_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handle_times" ADD CONSTRAINT "handle_times_workspace_id_person_id_people_workspace_id_id_fk" FOREIGN KEY ("workspace_id","person_id") REFERENCES "public"."people"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handle_times_person_idx" ON "handle_times" USING btree ("workspace_id","person_id","day");