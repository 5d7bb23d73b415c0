CREATE TABLE "mailbox_imap" (
	"workspace_id" bigint NOT NULL,
	"mailbox_id" bigint NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"security" text NOT NULL,
	"username" text NOT NULL,
	"password_sealed" text NOT NULL,
	"folders" text[] NOT NULL,
	"after_fetch" text NOT NULL,
	"poll_seconds" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"polling_until" timestamp with time zone,
	"last_poll_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"fetched" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"last_skipped" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mailbox_imap_workspace_id_mailbox_id_pk" PRIMARY KEY("workspace_id","mailbox_id")
);
--> statement-breakpoint
CREATE TABLE "mailbox_imap_folders" (
	"workspace_id" bigint NOT NULL,
	"mailbox_id" bigint NOT NULL,
	"folder" text NOT NULL,
	"uid_validity" text NOT NULL,
	"last_uid" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mailbox_imap_folders_workspace_id_mailbox_id_folder_pk" PRIMARY KEY("workspace_id","mailbox_id","folder")
);
--> statement-breakpoint
ALTER TABLE "mailbox_imap" ADD CONSTRAINT "mailbox_imap_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_imap" ADD CONSTRAINT "mailbox_imap_workspace_id_mailbox_id_mailboxes_workspace_id_id_fk" FOREIGN KEY ("workspace_id","mailbox_id") REFERENCES "public"."mailboxes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_imap_folders" ADD CONSTRAINT "mailbox_imap_folders_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_imap_folders" ADD CONSTRAINT "mailbox_imap_folders_workspace_id_mailbox_id_mailbox_imap_workspace_id_mailbox_id_fk" FOREIGN KEY ("workspace_id","mailbox_id") REFERENCES "public"."mailbox_imap"("workspace_id","mailbox_id") ON DELETE cascade ON UPDATE no action;