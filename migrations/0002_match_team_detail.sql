CREATE TABLE "match_odds" (
	"match_id" integer NOT NULL,
	"provider" "provider" NOT NULL,
	"bookmaker_id" text NOT NULL,
	"bookmaker" text NOT NULL,
	"market" text NOT NULL,
	"line" text DEFAULT '' NOT NULL,
	"selections" jsonb NOT NULL,
	"source_updated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_odds_match_id_provider_bookmaker_id_market_line_pk" PRIMARY KEY("match_id","provider","bookmaker_id","market","line")
);
--> statement-breakpoint
CREATE TABLE "match_player_stats" (
	"match_id" integer NOT NULL,
	"player_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"provider" "provider" NOT NULL,
	"number" smallint,
	"position" text,
	"captain" boolean,
	"substitute" boolean,
	"minutes" smallint,
	"rating" real,
	"goals" smallint,
	"assists" smallint,
	"shots" smallint,
	"shots_on_target" smallint,
	"passes" smallint,
	"key_passes" smallint,
	"passes_accurate" smallint,
	"tackles" smallint,
	"duels" smallint,
	"duels_won" smallint,
	"dribbles" smallint,
	"dribbles_success" smallint,
	"yellow_cards" smallint,
	"red_cards" smallint,
	"extra" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_player_stats_match_id_player_id_pk" PRIMARY KEY("match_id","player_id")
);
--> statement-breakpoint
CREATE TABLE "match_predictions" (
	"match_id" integer NOT NULL,
	"source" text NOT NULL,
	"home_win" real,
	"draw" real,
	"away_win" real,
	"winner_team_id" integer,
	"winner_comment" text,
	"win_or_draw" boolean,
	"under_over" text,
	"goals_home" text,
	"goals_away" text,
	"advice" text,
	"comparison" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_predictions_match_id_source_pk" PRIMARY KEY("match_id","source")
);
--> statement-breakpoint
CREATE TABLE "team_details" (
	"team_id" integer NOT NULL,
	"provider" "provider" NOT NULL,
	"country" text,
	"founded" smallint,
	"crest_url" text,
	"venue" jsonb,
	"coach" text,
	"address" text,
	"website" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_details_team_id_provider_pk" PRIMARY KEY("team_id","provider")
);
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "coach" text;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "match_odds" ADD CONSTRAINT "match_odds_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_player_stats" ADD CONSTRAINT "match_player_stats_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_player_stats" ADD CONSTRAINT "match_player_stats_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_player_stats" ADD CONSTRAINT "match_player_stats_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_predictions" ADD CONSTRAINT "match_predictions_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_predictions" ADD CONSTRAINT "match_predictions_winner_team_id_teams_id_fk" FOREIGN KEY ("winner_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_details" ADD CONSTRAINT "team_details_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_player_stats_player" ON "match_player_stats" USING btree ("player_id");