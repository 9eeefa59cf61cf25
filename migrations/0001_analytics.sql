CREATE TABLE "player_season_computed" (
	"season_id" integer NOT NULL,
	"player_id" integer NOT NULL,
	"team_id" integer,
	"goals" smallint NOT NULL,
	"assists" smallint,
	"stats" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "player_season_computed_season_id_player_id_pk" PRIMARY KEY("season_id","player_id")
);
--> statement-breakpoint
ALTER TABLE "standings" ADD COLUMN "previous_position" smallint;--> statement-breakpoint
ALTER TABLE "player_season_computed" ADD CONSTRAINT "player_season_computed_season_id_seasons_id_fk" FOREIGN KEY ("season_id") REFERENCES "public"."seasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_season_computed" ADD CONSTRAINT "player_season_computed_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_season_computed" ADD CONSTRAINT "player_season_computed_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "player_season_computed_goals" ON "player_season_computed" USING btree ("season_id","goals");