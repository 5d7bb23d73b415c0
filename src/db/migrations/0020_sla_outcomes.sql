CREATE TABLE "sla_outcomes" (
	"workspace_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"target" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"policy_id" bigint NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"met_at" timestamp with time zone,
	"breached" boolean NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"team_id" bigint,
	"assignee_id" bigint,
	"channel" text NOT NULL,
	CONSTRAINT "sla_outcomes_workspace_id_conversation_id_target_started_at_pk" PRIMARY KEY("workspace_id","conversation_id","target","started_at")
);
--> statement-breakpoint
ALTER TABLE "sla_outcomes" ADD CONSTRAINT "sla_outcomes_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_outcomes_decided_idx" ON "sla_outcomes" USING btree ("workspace_id","decided_at");