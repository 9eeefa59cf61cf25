CREATE TABLE "match_observations" (
	"match_id" integer NOT NULL,
	"provider" "provider" NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"source_updated_at" timestamp with time zone,
	"status" "match_status" NOT NULL,
	"minute" smallint,
	"home_score" smallint,
	"away_score" smallint,
	"halftime_home" smallint,
	"halftime_away" smallint,
	"extra_time_home" smallint,
	"extra_time_away" smallint,
	"penalties_home" smallint,
	"penalties_away" smallint,
	"kickoff" timestamp with time zone NOT NULL,
	"kickoff_provisional" boolean NOT NULL,
	"matchday" smallint,
	"stage" text,
	"group_name" text,
	"venue" text,
	"attendance" integer,
	"home_team_id" integer NOT NULL,
	"away_team_id" integer NOT NULL,
	"events" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_observations_match_id_provider_pk" PRIMARY KEY("match_id","provider")
);
--> statement-breakpoint
-- Backfill (hand-written): every provider's last word kept in provider_match_scores becomes its observation, with
-- the match row's other fields and that provider's stored events; the canonical events keep the list reads showed
-- (the highest-precedence provider that had events), each linked to its provider event.
INSERT INTO "match_observations" ("match_id", "provider", "fetched_at", "seen_at", "source_updated_at", "status", "minute",
  "home_score", "away_score", "halftime_home", "halftime_away", "kickoff", "kickoff_provisional", "matchday", "stage",
  "group_name", "venue", "attendance", "home_team_id", "away_team_id", "events")
SELECT m."id", s."provider", s."updated_at", s."updated_at",
  CASE WHEN s."provider" = m."source_provider" THEN m."source_updated_at" END,
  s."status", CASE WHEN s."provider" = m."source_provider" THEN m."minute" END, s."home_score", s."away_score",
  CASE WHEN s."provider" = m."source_provider" THEN m."halftime_home" END,
  CASE WHEN s."provider" = m."source_provider" THEN m."halftime_away" END,
  m."kickoff", m."kickoff_tentative", m."matchday", m."stage", m."group_name", m."venue", m."attendance", m."home_team_id", m."away_team_id",
  (SELECT jsonb_agg(jsonb_build_object('ref', e."provider_event_id", 'type', e."type", 'minute', e."minute", 'extraMinute', e."extra_minute",
      'side', CASE WHEN e."team_id" = m."home_team_id" THEN 'home' WHEN e."team_id" = m."away_team_id" THEN 'away' END,
      'playerId', e."player_id", 'playerName', e."player_name", 'assistId', e."assist_player_id", 'assistName', e."assist_name",
      'detail', e."detail", 'scoreHome', e."score_home", 'scoreAway', e."score_away") ORDER BY e."id")
   FROM "match_events" e WHERE e."match_id" = m."id" AND e."provider" = s."provider")
FROM "matches" m JOIN "provider_match_scores" s ON s."match_id" = m."id";--> statement-breakpoint
DELETE FROM "match_events" e WHERE e."provider" <> (SELECT e2."provider" FROM "match_events" e2 WHERE e2."match_id" = e."match_id"
  ORDER BY array_position(array['api_football', 'football_data', 'openligadb']::provider[], e2."provider") LIMIT 1);--> statement-breakpoint
ALTER TABLE "provider_match_scores" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "provider_match_scores" CASCADE;--> statement-breakpoint
DROP INDEX "match_events_provider_event";--> statement-breakpoint
ALTER TABLE "match_events" ADD COLUMN "sources" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
UPDATE "match_events" SET "sources" = array["provider"::text || ':' || "provider_event_id"];--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "extra_time_home" smallint;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "extra_time_away" smallint;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "penalties_home" smallint;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "penalties_away" smallint;--> statement-breakpoint
ALTER TABLE "match_observations" ADD CONSTRAINT "match_observations_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_observations" ADD CONSTRAINT "match_observations_home_team_id_teams_id_fk" FOREIGN KEY ("home_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_observations" ADD CONSTRAINT "match_observations_away_team_id_teams_id_fk" FOREIGN KEY ("away_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_events_match" ON "match_events" USING btree ("match_id");