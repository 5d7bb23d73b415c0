CREATE TABLE "routing_agents" (
	"workspace_id" bigint NOT NULL,
	"person_id" bigint NOT NULL,
	"last_assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "routing_agents_workspace_id_person_id_pk" PRIMARY KEY("workspace_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "team_member_capacity" (
	"workspace_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	"person_id" bigint NOT NULL,
	"capacity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "team_member_capacity_workspace_id_team_id_person_id_pk" PRIMARY KEY("workspace_id","team_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "team_routing" (
	"workspace_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	"mode" text DEFAULT 'manual' NOT NULL,
	"capacity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_person_id" bigint,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "team_routing_workspace_id_team_id_pk" PRIMARY KEY("workspace_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "availability" text DEFAULT 'offline' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "availability_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_agents" ADD CONSTRAINT "routing_agents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_agents" ADD CONSTRAINT "routing_agents_workspace_id_person_id_people_workspace_id_id_fk" FOREIGN KEY ("workspace_id","person_id") REFERENCES "public"."people"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_member_capacity" ADD CONSTRAINT "team_member_capacity_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_member_capacity" ADD CONSTRAINT "team_member_capacity_member_fk" FOREIGN KEY ("workspace_id","team_id","person_id") REFERENCES "public"."team_members"("workspace_id","team_id","person_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_routing" ADD CONSTRAINT "team_routing_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_routing" ADD CONSTRAINT "team_routing_workspace_id_team_id_teams_workspace_id_id_fk" FOREIGN KEY ("workspace_id","team_id") REFERENCES "public"."teams"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_unassigned_idx" ON "conversations" USING btree ("workspace_id","team_id","id") WHERE assignee_id is null and status in ('new', 'open');