// Our model's pre-match prediction for one stored match: the Dixon–Coles model (prediction.ts) fitted on the
// competition's matches before its kickoff, so a finished match shows the prediction it would have had.
// Used by /v1/matches/{id}/prediction and beside the providers' predictions in /v1/matches/{id}.
import type { Queryable } from "../../db/client";
import { matchContext, matchesBefore } from "../../db/queries/analytics";
import { MODEL, fitModel, predict } from "../../analytics/prediction";

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export async function modelPrediction(db: Queryable, matchId: number, homeId: number, awayId: number) {
  const ctx = await matchContext(db, matchId);
  if (!ctx) return null;
  const model = fitModel(await matchesBefore(db, ctx.competitionId, ctx.kickoff), ctx.kickoff);
  const p = predict(model, homeId, awayId);
  return {
    ctx,
    prediction: {
      probabilities: { home: round4(p.home), draw: round4(p.draw), away: round4(p.away) },
      expectedGoals: p.expectedGoals,
      mostLikelyScores: p.mostLikelyScores,
    },
    meta: { model: MODEL.version, fittedOn: model.matches, asOf: ctx.kickoff.toISOString(), homeAdvantage: round4(Math.exp(model.home)), rho: model.rho },
  };
}
