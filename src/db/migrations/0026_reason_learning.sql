CREATE TABLE "reason_learning" (
	"workspace_id" bigint PRIMARY KEY NOT NULL,
	"apply_above" real DEFAULT 0.9 NOT NULL,
	"labels_since" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reason_predictions" (
	"workspace_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"model_id" bigint NOT NULL,
	"ranked" jsonb NOT NULL,
	"confidence" real NOT NULL,
	"out_of_scope" boolean NOT NULL,
	"applied" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reason_predictions_workspace_id_conversation_id_pk" PRIMARY KEY("workspace_id","conversation_id")
);
--> statement-breakpoint
ALTER TABLE "reason_learning" ADD CONSTRAINT "reason_learning_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reason_predictions" ADD CONSTRAINT "reason_predictions_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;