// Market-value estimate (no provider sells market values): a log-linear model whose every term is visible.
//   ln(value) = base + age terms + minutes share + position-weighted output per 90 + rating + ln(league strength)
//               + team strength, then blended half-and-half (in log space) with the player's previous weekly value,
//   rounded to two significant figures (so small input changes do not create new values).
// The coefficients are set by judgement to give plausible magnitudes, NOT fitted to or calibrated against any
// public valuation: an estimate with known biases (README, "Market values"). A new coefficient set is a new
// `version`; stored values keep the version and the features that produced them, so `explain` can always
// rebuild a stored number.

export interface MarketFeatures {
  season: number;
  competition: string;
  /** Age in years at the reference date (as_of, or the end of the season for past seasons). */
  age: number | null;
  position: "Goalkeeper" | "Defender" | "Midfielder" | "Attacker" | null;
  appearances: number | null;
  minutes: number | null;
  /** True when minutes were estimated from appearances (75 per appearance). */
  minutesEstimated: boolean;
  teamGames: number | null;
  goals: number;
  assists: number;
  rating: number | null;
  leagueStrength: number;
  team: { id: number | null; basis: "elo" | "points_per_game" | "none"; value: number | null };
  previous: { valueEur: number; asOf: string } | null;
}

export interface Term {
  name: string;
  /** The feature value the coefficient applies to (after centring). */
  input: number | null;
  coefficient: number;
  /** Added to ln(value). */
  contribution: number;
  /** exp(contribution): the multiplier this term applies. */
  factor: number;
}

export interface Explanation {
  modelVersion: string;
  baseEur: number;
  terms: Term[];
  modelEur: number;
  previousEur: number | null;
  previousWeight: number;
  valueEur: number;
}

export const MARKET_MODEL = {
  version: "mv-loglinear-1",
  /** An average 26-year-old regular (60 % of minutes, average output) of an average team in the strongest league. */
  baseEur: 8_000_000,
  ageCentre: 26,
  age: -0.04,
  ageSquared: -0.012,
  minutesShareCentre: 0.6,
  minutesShare: 1.5,
  /** Per-90 goals + 0.75 × assists, times the position's weight, centred and capped. */
  outputWeights: { Goalkeeper: 0, Defender: 2.5, Midfielder: 1.5, Attacker: 1 } as Record<string, number>,
  outputCentre: 0.35,
  outputCap: 1.5,
  output: 1.0,
  /** Minutes at which the output term counts half (shrinks small samples). */
  outputShrinkMinutes: 450,
  ratingCentre: 6.8,
  rating: 0.6,
  teamElo: 0.003,
  teamPpg: 0.6,
  previousWeight: 0.5,
  minimumEur: 50_000,
} as const;

/**
 * League strength multipliers (1 = Premier League), by judgement from the leagues' relative spending and UEFA
 * coefficients; not a fitted quantity.
 */
export const LEAGUE_STRENGTH: Record<string, number> = { PL: 1, PD: 0.75, BL1: 0.7, SA: 0.7, FL1: 0.55, PPL: 0.35, DED: 0.35, ELC: 0.25, BL2: 0.15 };

export function explainValue(f: MarketFeatures): Explanation {
  const m = MARKET_MODEL;
  const terms: Term[] = [];
  const term = (name: string, input: number | null, coefficient: number) => {
    const contribution = input == null ? 0 : input * coefficient;
    terms.push({ name, input: input == null ? null : round4(input), coefficient, contribution: round4(contribution), factor: round4(Math.exp(contribution)) });
  };
  const ageC = f.age == null ? null : f.age - m.ageCentre;
  term("age", ageC, m.age);
  term("age²", ageC == null ? null : ageC * ageC, m.ageSquared);
  const share = f.minutes != null && f.teamGames ? Math.min(1, f.minutes / (f.teamGames * 90)) : null;
  term("minutes share", share == null ? null : share - m.minutesShareCentre, m.minutesShare);
  const weight = f.position ? (m.outputWeights[f.position] ?? 1) : 1;
  const output =
    f.minutes && f.minutes > 0 && weight > 0
      ? Math.min(m.outputCap, (((f.goals + 0.75 * f.assists) * 90) / f.minutes) * weight) * (f.minutes / (f.minutes + m.outputShrinkMinutes))
      : null;
  term("output per 90 (position-weighted)", output == null ? null : output - m.outputCentre * (f.minutes! / (f.minutes! + m.outputShrinkMinutes)), m.output);
  term("rating", f.rating == null ? null : f.rating - m.ratingCentre, m.rating);
  term("league strength (ln)", Math.log(f.leagueStrength), 1);
  if (f.team.basis === "elo") term("team strength (Elo − 1500)", f.team.value! - 1500, m.teamElo);
  else if (f.team.basis === "points_per_game") term("team strength (points per game − 1.4)", f.team.value! - 1.4, m.teamPpg);
  else term("team strength", null, 0);
  const logModel = Math.log(m.baseEur) + terms.reduce((s, t) => s + t.contribution, 0);
  const w = f.previous ? m.previousWeight : 0;
  const blended = f.previous ? (1 - w) * logModel + w * Math.log(f.previous.valueEur) : logModel;
  return {
    modelVersion: m.version,
    baseEur: m.baseEur,
    terms,
    modelEur: twoFigures(Math.exp(logModel)),
    previousEur: f.previous?.valueEur ?? null,
    previousWeight: w,
    valueEur: Math.max(m.minimumEur, twoFigures(Math.exp(blended))),
  };
}

/** 12,345,678 → 12,000,000; 853,000 → 850,000. */
export function twoFigures(x: number): number {
  if (x <= 0) return 0;
  const p = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.round(x / p) * p;
}

/** Monday 00:00 UTC of the week of `now`, as YYYY-MM-DD. */
export function weekOf(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Whole years between a birth date and a reference date. */
export function ageAt(birthDate: string | null, ref: Date): number | null {
  if (!birthDate) return null;
  const b = new Date(`${birthDate}T00:00:00Z`);
  return Math.round(((ref.getTime() - b.getTime()) / (365.25 * 86_400_000)) * 10) / 10;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;
